import { createHash, randomUUID } from 'node:crypto';
import { Args, Context, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import type { mongo } from 'mongoose';
import { CurrentPrincipal, ReferencePrincipal, type Principal } from '@hrp/auth';
import { Clock, CommandService, commandMetadata, type CommandInput, ContextRuntime, ReadModels, addSearch } from '@hrp/context-kit';
import { formatMinorUnits, parseMinorUnits, type HumanRightsTag } from '@hrp/contracts';
import { fold } from '@hrp/domain-kit';
import { EventStore, encodePosition } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import { VERSION_FIELD } from '@hrp/messaging';
import { PersonRegistry } from '@hrp/personal-data';
import { currentContext } from '@hrp/service-kit';
import type { ContributionInput, LocalizedTextInput, MoneyInput, UserAgreementCommand } from './agreement/agreement.decider';
import type { Agreement, AgreementState } from './agreement/agreement.events';
import { agreementStreamId } from './agreement/agreement.events';
import { agreementsExpiringWithin } from './agreement/agreement.expiry';
import { contributionsMobilised } from './agreement/contributions';
import { AGREEMENT_VIEW, type AgreementViewDoc } from './agreement/projections/agreement-view.projection';
import type { PartnerCommand } from './partner/partner.decider';
import type { Contact, Partner, PartnerState } from './partner/partner.events';
import { partnerNameKey, partnerStreamId } from './partner/partner.events';
import { PartnerNames } from './partner/partner-names';
import { DIRECTOR_ROLE, PARTNERSHIPS_MANAGING_ROLES } from './partner/partner.policy';
import { PARTNER_VIEW, type PartnerViewDoc } from './partner/projections/partner-view.projection';
import { agreementAggregate, partnerAggregate } from './partnerships.context';

/*
 * The GraphQL adapter of partnerships: input → command (the kit runs it), queries from the read
 * models, active partners' names reserved around the commands (partner/partner-names.ts), today
 * from the injected clock. The daily expiry check is the context's job (agreement.follow-up.ts).
 */

export const ERASED = '[erased]';

interface ContactInputGql {
  fullName: string;
  email?: string | null;
  phone?: string | null;
  role?: string | null;
}
interface RegisterPartnerInput {
  name: LocalizedTextInput;
  type: string;
  country: string;
  contacts?: ContactInputGql[] | null;
}
interface ContributionInputGql {
  direction: 'FROM_PARTNER' | 'FROM_US';
  kind: 'FINANCIAL' | 'IN_KIND';
  money?: MoneyInput | null;
  description?: string | null;
  estimatedValue?: MoneyInput | null;
}
interface DraftAgreementInput {
  partnerId: string;
  title: LocalizedTextInput;
  scope: LocalizedTextInput;
  startDate: string;
  endDate: string;
  commitmentsOurs: string[];
  commitmentsTheirs: string[];
  contributions?: ContributionInputGql[] | null;
  budgetLineId?: string | null;
  tags?: HumanRightsTag[] | null;
}
interface PartnerFilter {
  status?: string[] | null;
  type?: string | null;
  country?: string | null;
  search?: string | null;
}

/** The partners' and agreements' objects, from the read model or the stream. */
export interface PartnerGraph {
  id: string;
  version: number;
  name: LocalizedTextInput;
  type: string;
  country: string;
  status: string;
  contacts: { contactId: string; pii: { keyId: string; ciphertext: string }; role?: string | null }[];
  deactivationReason: string | null;
}

export interface AgreementGraph {
  id: string;
  version: number;
  partnerId: string;
  title: LocalizedTextInput;
  scope: LocalizedTextInput;
  status: string;
  startDate: string;
  endDate: string;
  contribution: { amount: string; currency: string } | null;
  contributions: unknown[];
  commitmentsOurs: readonly string[];
  commitmentsTheirs: readonly string[];
  previousPeriods: { start: string; end: string }[];
  fundingStatus: string;
  budgetLineId: string | null;
  signedOn: string | null;
  activatedOn: string | null;
  noticesSent: readonly number[];
  closingReason: string | null;
  tags: readonly { kind: string; ref: string }[];
}

function partnerFromView(d: PartnerViewDoc): PartnerGraph {
  return {
    id: d._id,
    version: d._version,
    name: d.name,
    type: d.type,
    country: d.country,
    status: d.status,
    contacts: d.contactOrder.map((id) => d.contacts[id]).filter((c) => c && !(c as { removed?: boolean }).removed),
    deactivationReason: d.deactivationReason ?? null,
  };
}

function partnerFromState(p: Partner, version: number): PartnerGraph {
  return {
    id: p.id,
    version,
    name: p.name,
    type: p.type,
    country: p.country,
    status: p.status,
    contacts: p.contacts.map((c) => ({ ...c })),
    deactivationReason: p.deactivationReason ?? null,
  };
}

/** The partner's financial contributions summed (one currency per agreement), or null. */
function partnerMoney(contributions: readonly { direction: string; kind: string; money?: { amount: string; currency: string } }[]) {
  const money = contributions.filter((c) => c.direction === 'FROM_PARTNER' && c.kind === 'FINANCIAL' && c.money);
  if (money.length === 0) return null;
  return {
    amount: formatMinorUnits(money.reduce((s, c) => s + parseMinorUnits(c.money!.amount), 0n)),
    currency: money[0].money!.currency,
  };
}

export function agreementFromView(d: AgreementViewDoc): AgreementGraph {
  return {
    id: d._id,
    version: d._version,
    partnerId: d.partnerId,
    title: d.title,
    scope: d.scope,
    status: d.status,
    startDate: d.period.start,
    endDate: d.period.end,
    contribution: partnerMoney(d.contributions),
    contributions: d.contributions,
    commitmentsOurs: d.commitments.ours,
    commitmentsTheirs: d.commitments.theirs,
    previousPeriods: d.renewals.map((r) => ({ start: d.period.start, end: r.previousEnd })),
    fundingStatus: d.fundingStatus,
    budgetLineId: d.budgetLineId ?? null,
    signedOn: d.signedOn ?? null,
    activatedOn: d.activatedOn ?? null,
    noticesSent: d.noticesSent,
    closingReason: d.closingReason ?? null,
    tags: d.tags,
  };
}

function agreementFromState(a: Agreement, version: number): AgreementGraph {
  return {
    id: a.id,
    version,
    partnerId: a.partnerId,
    title: a.title,
    scope: a.scope,
    status: a.status,
    startDate: a.period.start,
    endDate: a.period.end,
    contribution: partnerMoney(a.contributions),
    contributions: [...a.contributions],
    commitmentsOurs: a.commitments.ours,
    commitmentsTheirs: a.commitments.theirs,
    previousPeriods: [...a.previousPeriods],
    fundingStatus: a.funding.status,
    budgetLineId: a.budgetLineId ?? null,
    signedOn: a.signedOn ?? null,
    activatedOn: a.activatedOn ?? null,
    noticesSent: a.noticesSent,
    closingReason: a.closingReason ?? null,
    tags: a.tags,
  };
}

/**
 * A new partner's id: random, or derived from the caller and the request's Idempotency-Key, so
 * that a retried registration reserves the same name for the same partner and is replayed.
 */
function newPartnerId(principal: Principal): string {
  const key = currentContext()?.idempotencyKey;
  if (key === undefined) return partnerStreamId(randomUUID());
  const h = createHash('sha256').update(`${principal.subject}\0${key}`).digest('hex');
  return partnerStreamId(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`);
}

/** The name key of an input that has a name and a country to key (the decider refuses the others). */
function nameKeyOf(name: { fr?: unknown } | null | undefined, country: unknown): string | undefined {
  return typeof name?.fr === 'string' && typeof country === 'string' ? partnerNameKey({ fr: name.fr }, country) : undefined;
}

/** GraphQL adapter of partnerships: input → command (the kit runs it); queries from the read models. */
@Resolver('Partner')
export class PartnerResolver {
  constructor(
    private readonly commands: CommandService,
    private readonly views: ReadModels,
    private readonly runtime: ContextRuntime,
    private readonly people: PersonRegistry,
    private readonly principals: ReferencePrincipal,
    private readonly names: PartnerNames,
    private readonly store: EventStore,
  ) {}

  @Query('partner')
  partner(@Args('id') id: string, @Args('minPosition') minPosition?: string | null): Promise<PartnerGraph | null> {
    return this.views.entity<PartnerViewDoc, PartnerGraph, never, never, PartnerState>(PARTNER_VIEW, id, {
      minPosition,
      aggregate: partnerAggregate as never,
      fromView: partnerFromView,
      fromState: (state, version) => partnerFromState(state as Partner, version),
    });
  }

  @Query('partners')
  async partners(
    @Args('filter') filter: PartnerFilter | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    const page = await this.views.page<PartnerViewDoc>(PARTNER_VIEW, { where: partnerFilter(filter), first, after, minPosition });
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: partnerFromView(e.node) })) };
  }

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principals.of(context);
    return this.partner(ref.id);
  }

  @ResolveField('agreements')
  async agreements(@Parent() p: PartnerGraph) {
    const col = (await this.runtime.listCollection(AGREEMENT_VIEW)) as unknown as mongo.Collection<AgreementViewDoc>;
    const docs = await col.find({ partnerId: p.id, [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<AgreementViewDoc>).toArray();
    return docs.sort((a, b) => a.draftedPosition - b.draftedPosition).map(agreementFromView);
  }

  @ResolveField('contacts')
  async contacts(@Parent() p: PartnerGraph, @Context() context: { req?: never }) {
    const principal = await this.principals.of(context);
    if (!principal.roles.some((r) => (PARTNERSHIPS_MANAGING_ROLES as readonly string[]).includes(r)))
      throw graphQLError('FORBIDDEN', 'partners’ contacts are read by the partnership officer and the director');
    return Promise.all(
      p.contacts.map(async (c) => {
        const pii = await this.people.decrypt<{ fullName: string; email?: string; phone?: string }>(c.pii);
        return {
          contactId: c.contactId,
          personId: c.pii.keyId,
          fullName: pii?.fullName ?? ERASED,
          email: pii?.email ?? null,
          phone: pii?.phone ?? null,
          role: c.role ?? null,
        };
      }),
    );
  }

  /** Refused before anything is written, partner_names and the personal-data registry included. */
  private mayRun(p: Principal, type: PartnerCommand['type']): void {
    const verdict = partnerAggregate.authorize(p, { type } as never, undefined);
    if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
  }

  @Mutation('registerPartner')
  async register(@CurrentPrincipal() p: Principal, @Args('input') input: RegisterPartnerInput) {
    this.mayRun(p, 'RegisterPartner');
    const partnerId = newPartnerId(p);
    // The partner's own fields are checked before any contact person is identified (a refused
    // registration leaves no key behind): the decider, run dry, without the contacts.
    partnerAggregate.decider.decide(
      {
        type: 'RegisterPartner',
        data: { partnerId, name: input.name, type: input.type as never, country: input.country, contacts: [] },
      } as never,
      partnerAggregate.decider.initialState(),
    );
    const contacts = await Promise.all((input.contacts ?? []).map((c) => this.contact(partnerId, c)));
    const key = nameKeyOf(input.name, input.country);
    if (key) await this.names.reserve(key, partnerId);
    try {
      return await this.partnerCommand(p, {
        type: 'RegisterPartner',
        data: { partnerId, name: input.name, type: input.type as never, country: input.country, contacts },
      });
    } catch (e) {
      if (key) await this.names.releaseUnlessHeld(key, partnerId);
      throw e;
    }
  }

  /**
   * A contact person's data, encrypted with their key (crypto-shredding, as participants'). The
   * person is identified by name within the partner: two namesakes of two partners are two people.
   */
  private async contact(partnerId: string, c: ContactInputGql, field = 'input.contacts') {
    const fullName = String(c.fullName ?? '').trim();
    if (fullName.length === 0 || fullName.length > 200) throw graphQLError('BAD_USER_INPUT', 'fullName: 1 to 200 characters', { field });
    for (const [name, value] of [
      ['email', c.email],
      ['phone', c.phone],
      ['role', c.role],
    ] as const)
      if (value != null && (typeof value !== 'string' || value.length > 200))
        throw graphQLError('BAD_USER_INPUT', `${name}: at most 200 characters`, { field });
    const personId = await this.people.identify({ fullName, institution: partnerId });
    const data = { fullName, ...(c.email ? { email: c.email } : {}), ...(c.phone ? { phone: c.phone } : {}) };
    return { contactId: `contact-${randomUUID()}`, pii: await this.people.encrypt(personId, data), ...(c.role ? { role: c.role } : {}) };
  }

  @Mutation('deactivatePartner')
  async deactivate(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('reason') reason?: string | null,
    @Args('expectedVersion') v?: number | null,
  ) {
    const r = await this.partnerCommand(p, { type: 'DeactivatePartner', data: { partnerId: id, reason } }, v);
    // An inactive partner holds no name: another may take it (a crash before this line: partner-names.ts).
    await this.names.release(partnerNameKey(r.partner.name, r.partner.country), r.partner.id);
    return r;
  }

  @Mutation('reactivatePartner')
  async reactivate(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    this.mayRun(p, 'ReactivatePartner');
    const state: PartnerState = fold(partnerAggregate.decider, (await this.store.readStream(id)) as never[]);
    const key = state.status === 'INACTIVE' ? partnerNameKey(state.name, state.country) : undefined;
    if (key) await this.names.reserve(key, id);
    try {
      return await this.partnerCommand(p, { type: 'ReactivatePartner', data: { partnerId: id } }, v);
    } catch (e) {
      if (key) await this.names.releaseUnlessHeld(key, id);
      throw e;
    }
  }

  @Mutation('updatePartner')
  async update(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('input') input: { name?: LocalizedTextInput | null; type?: string | null; country?: string | null },
    @Args('expectedVersion') v?: number | null,
  ) {
    this.mayRun(p, 'UpdatePartner');
    const state: PartnerState = fold(partnerAggregate.decider, (await this.store.readStream(id)) as never[]);
    // An active partner renamed or moved holds a new name key: reserved first, the old one released after.
    const active = state.status === 'ACTIVE' ? state : undefined;
    const before = active ? partnerNameKey(active.name, active.country) : undefined;
    const after = active ? nameKeyOf(input.name ?? active.name, input.country ?? active.country) : undefined;
    const changes = before !== undefined && after !== undefined && after !== before;
    if (changes) await this.names.reserve(after, id);
    try {
      const r = await this.partnerCommand(
        p,
        { type: 'UpdatePartner', data: { partnerId: id, name: input.name, type: input.type as never, country: input.country } },
        v,
      );
      if (changes && r.partner.status === 'ACTIVE' && partnerNameKey(r.partner.name, r.partner.country) === after)
        await this.names.release(before, id);
      return r;
    } catch (e) {
      if (changes) await this.names.releaseUnlessHeld(after, id);
      throw e;
    }
  }

  @Mutation('addPartnerContact')
  async addContact(
    @CurrentPrincipal() p: Principal,
    @Args('partnerId') partnerId: string,
    @Args('contact') contact: ContactInputGql,
    @Args('expectedVersion') v?: number | null,
  ) {
    // Refused before a person is identified: a caller who may not add contacts leaves no trace.
    this.mayRun(p, 'AddContact');
    // The partner's state is checked before the person is identified (the decider, run dry with a placeholder).
    const state: PartnerState = fold(partnerAggregate.decider, (await this.store.readStream(partnerId)) as never[]);
    const placeholder = { contactId: 'contact-check', pii: { keyId: 'person-check', ciphertext: 'check' } };
    partnerAggregate.decider.decide({ type: 'AddContact', data: { partnerId, ...placeholder } } as never, state);
    const c = await this.contact(partnerId, contact, 'contact');
    return this.partnerCommand(p, { type: 'AddContact', data: { partnerId, ...c } }, v);
  }

  @Mutation('removePartnerContact')
  removeContact(
    @CurrentPrincipal() p: Principal,
    @Args('partnerId') partnerId: string,
    @Args('contactId') contactId: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.partnerCommand(p, { type: 'RemoveContact', data: { partnerId, contactId } }, v);
  }

  /** Right to erasure: the contact leaves the partner (if still there) and its person's key is destroyed. */
  @Mutation('erasePartnerContact')
  async eraseContact(@CurrentPrincipal() p: Principal, @Args('partnerId') partnerId: string, @Args('contactId') contactId: string) {
    if (!p.roles.includes(DIRECTOR_ROLE) && !p.roles.includes('admin'))
      throw graphQLError('FORBIDDEN', 'erasing a contact needs the director or admin role');
    const events = (await this.store.readStream(partnerId)) as unknown as { type: string; data: Record<string, unknown> }[];
    const added = events.flatMap((e) =>
      e.type === 'PartnerRegistered' ? (e.data.contacts as Contact[]) : e.type === 'ContactAdded' ? [e.data.contact as Contact] : [],
    );
    const contact = added.find((c) => c.contactId === contactId);
    if (!contact) throw graphQLError('NOT_FOUND', `contact ${contactId} of partner ${partnerId} does not exist`);
    const state: PartnerState = fold(partnerAggregate.decider, events as never[]);
    let position = encodePosition((events.at(-1) as unknown as { position: number }).position);
    if (state.status !== 'NOT_CREATED' && state.contacts.some((c) => c.contactId === contactId)) {
      const removed = await this.commands.run(partnerAggregate, {
        type: 'RemoveContact',
        data: { partnerId, contactId },
        metadata: commandMetadata(p),
      });
      position = removed.position ?? position;
    }
    const personId = contact.pii.keyId;
    return { partnerId, contactId, personId, erased: await this.people.erase(personId, { subject: p.subject }), position };
  }

  private async partnerCommand(p: Principal, command: CommandInput<PartnerCommand>, expectedVersion?: number | null) {
    const r = await this.commands.execute(partnerAggregate, p, command, { expectedVersion });
    return { partner: partnerFromState(r.state as Partner, r.version), position: r.position };
  }
}

@Resolver('Agreement')
export class AgreementResolver {
  constructor(
    private readonly commands: CommandService,
    private readonly views: ReadModels,
    private readonly runtime: ContextRuntime,
    private readonly store: EventStore,
    private readonly partners: PartnerResolver,
    private readonly principals: ReferencePrincipal,
    private readonly clock: Clock,
  ) {}

  @Query('agreement')
  agreement(@Args('id') id: string, @Args('minPosition') minPosition?: string | null): Promise<AgreementGraph | null> {
    return this.views.entity<AgreementViewDoc, AgreementGraph, never, never, AgreementState>(AGREEMENT_VIEW, id, {
      minPosition,
      aggregate: agreementAggregate as never,
      fromView: agreementFromView,
      fromState: (state, version) => agreementFromState(state as Agreement, version),
    });
  }

  /** Signed or active agreements ending within `days` days: read by status (indexed), filtered by date here. */
  @Query('agreementsExpiringWithin')
  async expiringWithin(@Args('days') days: number) {
    if (!Number.isInteger(days) || days < 0 || days > 3660)
      throw graphQLError('BAD_USER_INPUT', 'days must be 0 to 3660', { field: 'days' });
    const col = (await this.runtime.listCollection(AGREEMENT_VIEW)) as unknown as mongo.Collection<AgreementViewDoc>;
    const inForce = [
      ...(await col.find({ status: 'SIGNED', [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<AgreementViewDoc>).toArray()),
      ...(await col.find({ status: 'ACTIVE', [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<AgreementViewDoc>).toArray()),
    ];
    return agreementsExpiringWithin(inForce, this.clock.today(), days).map(agreementFromView);
  }

  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principals.of(context);
    return this.agreement(ref.id);
  }

  /** PRT-02: the agreements signed in the year (indexed by signedYear), their partners' types, summed here. */
  @Query('contributionsMobilised')
  async contributionsMobilised(@Args('year') year: number, @Args('partnerType') partnerType?: string | null) {
    if (!Number.isInteger(year) || year < 1900 || year > 2999)
      throw graphQLError('BAD_USER_INPUT', 'year must be 1900 to 2999', { field: 'year' });
    const agreements = (await this.runtime.listCollection(AGREEMENT_VIEW)) as unknown as mongo.Collection<AgreementViewDoc>;
    const signed = await agreements
      .find({ signedYear: year, [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<AgreementViewDoc>, {
        projection: { partnerId: 1, contributions: 1 },
      })
      .toArray();
    const partnerIds = [...new Set(signed.map((a) => a.partnerId))];
    const partners = (await this.runtime.listCollection(PARTNER_VIEW)) as unknown as mongo.Collection<PartnerViewDoc>;
    const known = new Map(
      (await partners.find({ _id: { $in: partnerIds } } as mongo.Filter<PartnerViewDoc>).toArray()).map((p) => [p._id, partnerFromView(p)]),
    );
    const r = contributionsMobilised(year, signed, (id) => known.get(id)?.type);
    return {
      year,
      partners: r.partners
        .filter((p) => partnerType == null || p.partnerType === partnerType)
        .map((p) => {
          const partner = known.get(p.partnerId);
          // A signed agreement's partner is always registered: its absence from the view is an error, not a null.
          if (!partner)
            throw graphQLError('INTERNAL_SERVER_ERROR', `partner ${p.partnerId} is not in the partners' read model yet: retry shortly`);
          return { ...p, partner };
        }),
      byType: r.byType.filter((t) => partnerType == null || t.partnerType === partnerType),
    };
  }

  @ResolveField('partner')
  async partner(@Parent() a: AgreementGraph) {
    const p = await this.partners.partner(a.partnerId);
    if (!p) throw graphQLError('NOT_FOUND', `partner ${a.partnerId} of agreement ${a.id} does not exist`);
    return p;
  }

  @Mutation('draftAgreement')
  async draft(@CurrentPrincipal() p: Principal, @Args('input') input: DraftAgreementInput) {
    const events = await this.store.readStream(input.partnerId);
    const partner: PartnerState = fold(partnerAggregate.decider, events as never[]);
    return this.agreementCommand(p, {
      type: 'DraftAgreement',
      data: {
        agreementId: agreementStreamId(randomUUID()),
        partnerId: input.partnerId,
        partner: partner.status === 'NOT_CREATED' ? null : { status: partner.status },
        title: input.title,
        scope: input.scope,
        period: { start: input.startDate, end: input.endDate },
        commitments: { ours: input.commitmentsOurs, theirs: input.commitmentsTheirs },
        contributions: (input.contributions ?? []).map(contributionOf),
        budgetLineId: input.budgetLineId,
        tags: input.tags,
      },
    });
  }

  @Mutation('startNegotiation')
  negotiate(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.agreementCommand(p, { type: 'StartNegotiation', data: { agreementId: id } }, v);
  }

  @Mutation('signAgreement')
  sign(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('signedOn') signedOn: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.agreementCommand(p, { type: 'SignAgreement', data: { agreementId: id, signedOn } }, v);
  }

  @Mutation('activateAgreement')
  activate(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.agreementCommand(p, { type: 'ActivateAgreement', data: { agreementId: id, today: this.clock.today() } }, v);
  }

  @Mutation('renewAgreement')
  renew(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('newEndDate') newEnd: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.agreementCommand(p, { type: 'RenewAgreement', data: { agreementId: id, newEnd } }, v);
  }

  @Mutation('terminateAgreement')
  terminate(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.agreementCommand(p, { type: 'TerminateAgreement', data: { agreementId: id, reason } }, v);
  }

  @Mutation('cancelAgreement')
  cancel(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.agreementCommand(p, { type: 'CancelAgreement', data: { agreementId: id, reason } }, v);
  }

  private async agreementCommand(p: Principal, command: CommandInput<UserAgreementCommand>, expectedVersion?: number | null) {
    const r = await this.commands.execute(agreementAggregate, p, command, { expectedVersion });
    return { agreement: agreementFromState(r.state as Agreement, r.version), position: r.position };
  }
}

function contributionOf(c: ContributionInputGql): ContributionInput {
  if (c.kind === 'FINANCIAL') {
    if (!c.money) throw graphQLError('BAD_USER_INPUT', 'a financial contribution needs money', { field: 'input.contributions' });
    return { direction: c.direction, kind: 'FINANCIAL', money: c.money };
  }
  if (!c.estimatedValue || c.description == null)
    throw graphQLError('BAD_USER_INPUT', 'an in-kind contribution needs a description and an estimated value', {
      field: 'input.contributions',
    });
  return { direction: c.direction, kind: 'IN_KIND', description: c.description, estimatedValue: c.estimatedValue };
}

/** Builds the store filter from typed, checked values only. */
export function partnerFilter(f: PartnerFilter | null | undefined): mongo.Filter<PartnerViewDoc> {
  const q: Record<string, unknown> = {};
  if (!f) return q;
  if (f.status?.length) q.status = f.status.length === 1 ? String(f.status[0]) : { $in: f.status.map(String) };
  if (f.type != null) q.type = String(f.type);
  if (f.country != null) {
    if (!/^[A-Z]{2}$/.test(f.country)) throw graphQLError('BAD_USER_INPUT', 'country is two capital letters', { field: 'filter.country' });
    q.country = f.country;
  }
  if (f.search != null) addSearch(q, f.search);
  return q;
}
