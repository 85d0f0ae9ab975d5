import { randomBytes, randomUUID } from 'node:crypto';
import { Args, Context, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import type { mongo } from 'mongoose';
import { CurrentPrincipal, Public, ReferencePrincipal, type Principal } from '@hrp/auth';
import { CommandService, type CommandInput, ContextRuntime, type KnownEntityDoc, ReadModels } from '@hrp/context-kit';
import { isRegion, type HumanRightsTag } from '@hrp/contracts';
import { ConcurrencyError, fold, NotFoundError } from '@hrp/domain-kit';
import { EventStore } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import { VERSION_FIELD } from '@hrp/messaging';
import { PersonRegistry } from '@hrp/personal-data';
import { verificationUrl } from './certificate/certificate.pdf';
import type { LocalizedTextInput, TrainingModuleCommand } from './module/module.decider';
import type { Profession, TrainingModule, TrainingModuleState } from './module/module.events';
import { moduleStreamId } from './module/module.events';
import { DIRECTOR_ROLE, REGIONAL_OFFICER_ROLE, TRAINING_MANAGING_ROLES } from './module/module.policy';
import { MODULE_VIEW, type ModuleViewDoc } from './module/projections/module-view.projection';
import { SESSION_VIEW, type SessionViewDoc } from './session/projections/session-view.projection';
import { SessionLimits, type UserTrainingSessionCommand } from './session/session.decider';
import type { AssessmentPhase, TrainingSession, TrainingSessionState } from './session/session.events';
import { exists as sessionExists, sessionStreamId } from './session/session.events';
import { authorize as authorizeSession } from './session/session.policy';
import { config, trainingConfig } from './config';
import { KNOWN_PARTNERS, moduleAggregate, sessionAggregate } from './training.context';
import {
  attendanceRateOf,
  breakdownOf,
  moduleFromState,
  moduleFromView,
  sessionFromState,
  sessionFromView,
  type ModuleGraph,
  type ParticipantData,
  type SessionData,
} from './training.graph';

interface CreateModuleInput {
  title: LocalizedTextInput;
  professions: Profession[];
  instruments: string[];
  objectives?: LocalizedTextInput | null;
  hours: number;
  tags?: HumanRightsTag[] | null;
}
interface ScheduleInput {
  moduleId: string;
  trainers: string[];
  region: string;
  venue: string;
  startDate: string;
  endDate: string;
  capacity: number;
  passMark: number;
  partnerIds?: string[] | null;
  budgetLineId?: string | null;
  estimatedCost?: { amount: bigint; currency?: string | null } | null;
}
interface ParticipantInput {
  fullName: string;
  institution?: string | null;
  sex: string;
  ageGroup: string;
  profession: string;
  region: string;
}
interface SessionFilter {
  status?: string[] | null;
  region?: string | null;
  moduleId?: string | null;
}

/** The institution that issues the certificates (shown on them and by the verification). */
export const ISSUER = { fr: 'Direction de la promotion des droits de l’homme', ar: 'مديرية النهوض بحقوق الإنسان' } as const;

/** Shown instead of the name of a person whose key was destroyed. */
export const ERASED = '[erased]';

/** Longest full name or institution accepted (characters). */
const NAME_MAX = 200;

/** An unguessable certificate code: 120 random bits, base32 (A–Z, 2–7), in four groups. */
export function certificateCode(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(24);
  const chars = [...bytes].map((b) => alphabet[b & 31]).join('');
  return `${chars.slice(0, 6)}-${chars.slice(6, 12)}-${chars.slice(12, 18)}-${chars.slice(18, 24)}`;
}

/** Who reads a session's participants: the training coordinator, the director, the regional officer of its region. */
export function mayReadParticipants(p: { roles: readonly string[]; region?: string }, region: string): boolean {
  if (p.roles.some((r) => (TRAINING_MANAGING_ROLES as readonly string[]).includes(r))) return true;
  return p.roles.includes(REGIONAL_OFFICER_ROLE) && p.region === region;
}

/** GraphQL adapter of training: input → command (the kit runs it); queries from the read models. */
@Resolver('TrainingSession')
export class TrainingResolver {
  constructor(
    private readonly commands: CommandService,
    private readonly views: ReadModels,
    private readonly runtime: ContextRuntime,
    private readonly store: EventStore,
    private readonly people: PersonRegistry,
    private readonly principalsOf: ReferencePrincipal,
  ) {}

  // ---------------------------------------------------------------- modules

  @Query('trainingModule')
  trainingModule(@Args('id') id: string, @Args('minPosition') minPosition?: string | null): Promise<ModuleGraph | null> {
    return this.views.entity<ModuleViewDoc, ModuleGraph, never, never, TrainingModuleState>(MODULE_VIEW, id, {
      minPosition,
      aggregate: moduleAggregate as never,
      fromView: moduleFromView,
      fromState: (state, version) => moduleFromState(state as TrainingModule, version),
    });
  }

  @Query('trainingModules')
  async trainingModules(
    @Args('filter') filter: { status?: string[] | null } | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    const page = await this.views.page<ModuleViewDoc>(MODULE_VIEW, { where: moduleFilter(filter), first, after, minPosition });
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: moduleFromView(e.node) })) };
  }

  @Mutation('createTrainingModule')
  createModule(@CurrentPrincipal() p: Principal, @Args('input') input: CreateModuleInput) {
    return this.moduleCommand(p, { type: 'CreateTrainingModule', data: { ...input, moduleId: moduleStreamId(randomUUID()) } });
  }

  @Mutation('publishTrainingModule')
  publishModule(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.moduleCommand(p, { type: 'PublishTrainingModule', data: { moduleId: id } }, v);
  }

  @Mutation('retireTrainingModule')
  retireModule(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.moduleCommand(p, { type: 'RetireTrainingModule', data: { moduleId: id } }, v);
  }

  private async moduleCommand(p: Principal, command: CommandInput<TrainingModuleCommand>, expectedVersion?: number | null) {
    const r = await this.commands.execute(moduleAggregate, p, command, { expectedVersion });
    return { trainingModule: moduleFromState(r.state as TrainingModule, r.version), position: r.position };
  }

  // ---------------------------------------------------------------- sessions: queries

  @Query('trainingSession')
  trainingSession(@Args('id') id: string, @Args('minPosition') minPosition?: string | null): Promise<SessionData | null> {
    return this.views.entity<SessionViewDoc, SessionData, never, never, TrainingSessionState>(SESSION_VIEW, id, {
      minPosition,
      aggregate: sessionAggregate as never,
      fromView: sessionFromView,
      fromState: (state, version) => sessionFromState(state as TrainingSession, version),
    });
  }

  @Query('trainingSessions')
  async trainingSessions(
    @Args('filter') filter: SessionFilter | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    const page = await this.views.page<SessionViewDoc>(SESSION_VIEW, { where: sessionFilter(filter), first, after, minPosition });
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: sessionFromView(e.node) })) };
  }

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principalsOf.of(context);
    return this.trainingSession(ref.id);
  }

  @ResolveField('module')
  async module(@Parent() s: SessionData) {
    const m = await this.trainingModule(s.moduleId);
    if (!m) throw graphQLError('NOT_FOUND', `module ${s.moduleId} of session ${s.id} does not exist`);
    return m;
  }

  @ResolveField('enrolledCount')
  enrolledCount(@Parent() s: SessionData) {
    return s.participants.filter((p) => p.status === 'ENROLLED').length;
  }

  @ResolveField('waitingCount')
  waitingCount(@Parent() s: SessionData) {
    return s.participants.filter((p) => p.status === 'WAITING').length;
  }

  @ResolveField('enrolledBreakdown')
  enrolledBreakdown(@Parent() s: SessionData) {
    return breakdownOf(s);
  }

  @ResolveField('participants')
  participants(@Parent() s: SessionData, @Context() context: { req?: never }) {
    return this.readableParticipants(s, 'ENROLLED', context);
  }

  @ResolveField('waitingList')
  waitingList(@Parent() s: SessionData, @Context() context: { req?: never }) {
    return this.readableParticipants(s, 'WAITING', context);
  }

  /** Names decrypted for the readers who need them; FORBIDDEN for the others (they read the counts). */
  private async readableParticipants(s: SessionData, status: string, context: { req?: never }) {
    const p = await this.principals(context);
    if (!mayReadParticipants(p, s.region))
      throw graphQLError(
        'FORBIDDEN',
        'participants are read by the training coordinator, the director and the regional officer of the session’s region',
      );
    return Promise.all(s.participants.filter((x) => x.status === status).map((x) => this.participantGraph(s, x)));
  }

  private async participantGraph(s: SessionData, x: ParticipantData) {
    const pii = await this.people.decrypt<{ fullName: string; institution?: string }>(x.pii);
    return {
      id: x.id,
      personId: x.personId,
      fullName: pii?.fullName ?? ERASED,
      institution: pii?.institution ?? null,
      sex: x.sex,
      ageGroup: x.ageGroup,
      profession: x.profession,
      region: x.region,
      status: x.status,
      preScore: x.preScore,
      postScore: x.postScore,
      attendanceRate: attendanceRateOf(s, x.id),
    };
  }

  private principals(context: { req?: never }): Promise<Principal> {
    return this.principalsOf.of(context);
  }

  @ResolveField('certificates')
  certificates(@Parent() s: SessionData) {
    return s.certificates.map((c) => this.certificateGraph(s, c.code, null));
  }

  certificateGraph(s: SessionData, code: string, participantName: string | null) {
    const c = s.certificates.find((x) => x.code === code)!;
    return {
      ...c,
      participantName,
      moduleTitle: s.moduleTitle,
      sessionId: s.id,
      sessionStartDate: s.startDate,
      sessionEndDate: s.endDate,
      issuer: ISSUER,
      verificationUrl: verificationUrlOf(code),
      pdfUrl: `${publicBaseUrl().replace(/\/+$/, '')}/certificates/${encodeURIComponent(code)}/pdf`,
    };
  }

  @ResolveField('partners')
  partners(@Parent() s: SessionData) {
    return s.partnerIds.map((id) => ({ __typename: 'Partner', id }));
  }

  @ResolveField('budgetLine')
  budgetLine(@Parent() s: SessionData) {
    return s.budgetLineId ? { __typename: 'BudgetLine', id: s.budgetLineId } : null;
  }

  // ---------------------------------------------------------------- certificates: verification

  /** Without a token: what a certificate shows (never contact data), or null for an unknown code. */
  @Public()
  @Query('verifyCertificate')
  async verifyCertificate(@Args('code') code: string) {
    if (typeof code !== 'string' || code.length > 100)
      throw graphQLError('BAD_USER_INPUT', 'code is at most 100 characters', { field: 'code' });
    const col = (await this.runtime.listCollection(SESSION_VIEW)) as unknown as mongo.Collection<SessionViewDoc>;
    const doc = await col.findOne({ certificateCodes: code, [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<SessionViewDoc>);
    if (!doc) return null;
    const s = sessionFromView(doc);
    const c = s.certificates.find((x) => x.code === code)!;
    const participant = s.participants.find((x) => x.id === c.participantId);
    const pii = participant ? await this.people.decrypt<{ fullName: string }>(participant.pii) : null;
    return this.certificateGraph(s, code, pii?.fullName ?? null);
  }

  // ---------------------------------------------------------------- sessions: mutations

  @Mutation('scheduleTrainingSession')
  async schedule(@CurrentPrincipal() p: Principal, @Args('input') input: ScheduleInput) {
    const events = await this.store.readStream(input.moduleId);
    const module = fold(moduleAggregate.decider, events as never[]);
    const data = {
      ...input,
      sessionId: sessionStreamId(randomUUID()),
      module: module.status === 'NOT_CREATED' ? null : { status: module.status, title: module.title },
    };
    // Refused at once when the caller may not schedule here (no wait for partners it names).
    const verdict = sessionAggregate.authorize(p, { type: 'ScheduleTrainingSession', data } as never, undefined);
    if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
    const knownPartners = (
      await this.views.lookUp<KnownEntityDoc>(KNOWN_PARTNERS, input.partnerIds, {
        max: SessionLimits.maxPartners,
        waitMs: config.READ_WAIT_MS,
      })
    ).map((d) => ({ id: d._id, status: d.status }));
    return this.sessionCommand(p, { type: 'ScheduleTrainingSession', data: { ...data, knownPartners } });
  }

  @Mutation('enrolParticipant')
  async enrol(
    @CurrentPrincipal() p: Principal,
    @Args('sessionId') sessionId: string,
    @Args('input') input: ParticipantInput,
    @Args('expectedVersion') v?: number | null,
  ) {
    // No person record for an enrolment that will be refused: the policy, the session's existence and
    // the version the client saw are checked first, on the stream (the kit checks them again).
    if (v != null && (!Number.isInteger(v) || v < 0))
      throw graphQLError('BAD_USER_INPUT', 'expectedVersion must be a non-negative integer', { field: 'expectedVersion' });
    const events = await this.store.readStream(sessionId);
    const state: TrainingSessionState = fold(sessionAggregate.decider, events as never[]);
    if (!sessionExists(state)) throw new NotFoundError('TrainingSession', sessionId);
    const verdict = authorizeSession(p, { type: 'EnrolParticipant', data: { sessionId } } as never, state);
    if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
    const version = events.at(-1)?.streamVersion ?? 0;
    if (v != null && v !== version) throw new ConcurrencyError(sessionId, v, version);
    if (!isRegion(input.region))
      throw graphQLError('BAD_USER_INPUT', `unknown region "${String(input.region)}"`, { field: 'input.region' });
    const fullName = personalText(input.fullName, 'input.fullName');
    const institution = input.institution == null ? undefined : personalText(input.institution, 'input.institution');
    const personId = await this.people.identify({ fullName, ...(institution !== undefined ? { institution } : {}) });
    const pii = await this.people.encrypt(personId, { fullName, ...(institution !== undefined ? { institution } : {}) });
    const { sex, ageGroup, profession, region } = input;
    return this.sessionCommand(
      p,
      {
        type: 'EnrolParticipant',
        data: {
          sessionId,
          participantId: `participant-${randomUUID()}`,
          personId,
          pii,
          sex: sex as never,
          ageGroup: ageGroup as never,
          profession: profession as never,
          region,
        },
      },
      v,
    );
  }

  @Mutation('withdrawParticipant')
  withdraw(
    @CurrentPrincipal() p: Principal,
    @Args('sessionId') sessionId: string,
    @Args('participantId') participantId: string,
    @Args('reason') reason?: string | null,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.sessionCommand(p, { type: 'WithdrawParticipant', data: { sessionId, participantId, reason } }, v);
  }

  @Mutation('startTrainingSession')
  start(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.sessionCommand(p, { type: 'StartTrainingSession', data: { sessionId: id } }, v);
  }

  @Mutation('recordAttendance')
  attendance(
    @CurrentPrincipal() p: Principal,
    @Args('sessionId') sessionId: string,
    @Args('day') day: string,
    @Args('presentParticipantIds') presentParticipantIds: string[],
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.sessionCommand(p, { type: 'RecordAttendance', data: { sessionId, day, presentParticipantIds } }, v);
  }

  @Mutation('recordAssessment')
  assessment(
    @CurrentPrincipal() p: Principal,
    @Args('sessionId') sessionId: string,
    @Args('participantId') participantId: string,
    @Args('phase') phase: AssessmentPhase,
    @Args('score') score: number,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.sessionCommand(p, { type: 'RecordAssessment', data: { sessionId, participantId, phase, score } }, v);
  }

  @Mutation('completeTrainingSession')
  complete(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    // One fresh code per possible enrolled participant (capacity ≤ 500): the decider uses those it needs.
    const codes = Array.from({ length: 500 }, certificateCode);
    return this.sessionCommand(p, { type: 'CompleteTrainingSession', data: { sessionId: id } }, v, codes);
  }

  @Mutation('cancelTrainingSession')
  cancel(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.sessionCommand(p, { type: 'CancelTrainingSession', data: { sessionId: id, reason } }, v);
  }

  @Mutation('revokeCertificate')
  revoke(
    @CurrentPrincipal() p: Principal,
    @Args('sessionId') sessionId: string,
    @Args('code') code: string,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.sessionCommand(p, { type: 'RevokeCertificate', data: { sessionId, code, reason } }, v);
  }

  @Mutation('erasePerson')
  async erase(@CurrentPrincipal() p: Principal, @Args('personId') personId: string) {
    if (!p.roles.includes(DIRECTOR_ROLE) && !p.roles.includes('admin'))
      throw graphQLError('FORBIDDEN', 'erasing a person needs the director or admin role');
    if (typeof personId !== 'string' || !/^person-[0-9a-f-]{36}$/.test(personId))
      throw graphQLError('BAD_USER_INPUT', 'personId must be person-<uuid>', { field: 'personId' });
    return { personId, erased: await this.people.erase(personId, { subject: p.subject }) };
  }

  private async sessionCommand(
    p: Principal,
    command: CommandInput<UserTrainingSessionCommand>,
    expectedVersion?: number | null,
    ids?: string[],
  ) {
    const r = await this.commands.execute(sessionAggregate, p, command, { expectedVersion, ...(ids ? { ids } : {}) });
    return { trainingSession: sessionFromState(r.state as TrainingSession, r.version), position: r.position };
  }
}

/** Where clients reach the platform (the gateway): certificate links point there. */
export function publicBaseUrl(): string {
  return trainingConfig.PUBLIC_BASE_URL;
}

/** The public page a certificate's QR code points to (the gateway serves it). */
export function verificationUrlOf(code: string): string {
  return verificationUrl(publicBaseUrl(), code);
}

function personalText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw graphQLError('BAD_USER_INPUT', `${field} must not be blank`, { field });
  const text = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  if ([...text].length > NAME_MAX) throw graphQLError('BAD_USER_INPUT', `${field} is longer than ${NAME_MAX} characters`, { field });
  return text;
}

/** Builds the store filter from typed, checked values only. */
const MODULE_STATUSES = ['DRAFT', 'PUBLISHED', 'RETIRED'];

export function moduleFilter(f: { status?: string[] | null } | null | undefined): mongo.Filter<ModuleViewDoc> {
  const q: Record<string, unknown> = {};
  if (!f?.status?.length) return q;
  const bad = f.status.find((s) => !MODULE_STATUSES.includes(s));
  if (bad !== undefined) throw graphQLError('BAD_USER_INPUT', `status: one of ${MODULE_STATUSES.join(', ')}`, { field: 'filter.status' });
  q.status = f.status.length === 1 ? f.status[0] : { $in: f.status };
  return q;
}

export function sessionFilter(f: SessionFilter | null | undefined): mongo.Filter<SessionViewDoc> {
  const q: Record<string, unknown> = {};
  if (!f) return q;
  if (f.status?.length) q.status = f.status.length === 1 ? String(f.status[0]) : { $in: f.status.map(String) };
  if (f.region != null) {
    if (!isRegion(f.region)) throw graphQLError('BAD_USER_INPUT', `unknown region "${f.region}"`, { field: 'filter.region' });
    q.region = f.region;
  }
  if (f.moduleId != null) {
    if (typeof f.moduleId !== 'string' || f.moduleId.length > 200)
      throw graphQLError('BAD_USER_INPUT', 'moduleId is at most 200 characters', { field: 'filter.moduleId' });
    q.moduleId = f.moduleId;
  }
  return q;
}

/** The TrainingModule entity, for other subgraphs that reference it. */
@Resolver('TrainingModule')
export class TrainingModuleResolver {
  constructor(
    private readonly training: TrainingResolver,
    private readonly principals: ReferencePrincipal,
    private readonly store: EventStore,
  ) {}

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }) {
    await this.principals.of(context);
    return this.training.trainingModule(ref.id);
  }

  /**
   * From the read model; a module read from its stream (a mutation's payload, or the read model
   * lagging) has no time in its state: then from the stream's first event, read only then.
   */
  @ResolveField('createdAt')
  async createdAt(@Parent() m: ModuleGraph): Promise<string> {
    if (m.createdAt !== null) return m.createdAt;
    const [created] = await this.store.readStream(m.id);
    if (!created) throw new Error(`training module ${m.id} has no event`);
    return created.metadata.time;
  }
}
