import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError } from '@hrp/domain-kit';
import type { AgreementCommand, DraftAgreement, RecordFundingDecision } from './agreement.decider';
import { AgreementRules, agreementDecider } from './agreement.decider';
import type { AgreementDrafted, AgreementEvent, ExpiryThreshold, FundingRequested } from './agreement.events';

// ---------- fixtures ----------

const AGREEMENT_ID = 'agreement-7c3e1f20-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const PARTNER_ID = 'partner-3f1a9c2e';
const TITLE = { fr: 'Convention de partenariat pour la formation des journalistes', en: 'Journalist training partnership' };
const SCOPE = { fr: 'Formation aux droits humains des journalistes des douze régions' };
const LINE = 'budget-2025.line-3';
const REQUEST_ID = `${AGREEMENT_ID}.funding-request`;
const NOW = '2025-03-01T09:00:00.000Z';
const START = '2025-04-01';
const END = '2025-12-31';
const on = { agreementId: AGREEMENT_ID };

const meta = (now = NOW): CommandMetadata => ({
  now,
  actor: { subject: 'kc-partnership-officer', username: 'partnership-officer' },
  correlationId: 'corr-1',
});
const spec = DeciderSpecification.for(agreementDecider);

const ourMoney = { direction: 'FROM_US', kind: 'FINANCIAL', money: { amount: 5_000_000n } } as const;
const theirKind = {
  direction: 'FROM_PARTNER',
  kind: 'IN_KIND',
  description: 'Salles et formateurs',
  estimatedValue: { amount: 1_500_000n, currency: 'MAD' },
} as const;

// commands

const draft = (data: Partial<DraftAgreement['data']> = {}): DraftAgreement => ({
  type: 'DraftAgreement',
  data: {
    ...on,
    partnerId: PARTNER_ID,
    partner: { status: 'ACTIVE' },
    title: TITLE,
    scope: SCOPE,
    period: { start: START, end: END },
    commitments: { ours: ['Financer les sessions'], theirs: ['Accueillir les sessions'] },
    contributions: [theirKind],
    ...data,
  },
  metadata: meta(),
});
const negotiate = (): AgreementCommand => ({ type: 'StartNegotiation', data: on, metadata: meta() });
const sign = (signedOn = '2025-03-01'): AgreementCommand => ({ type: 'SignAgreement', data: { ...on, signedOn }, metadata: meta() });
const activate = (today: string): AgreementCommand => ({ type: 'ActivateAgreement', data: { ...on, today }, metadata: meta() });
const renew = (newEnd: string): AgreementCommand => ({ type: 'RenewAgreement', data: { ...on, newEnd }, metadata: meta() });
const terminate = (reason = 'Partenaire dissous'): AgreementCommand => ({
  type: 'TerminateAgreement',
  data: { ...on, reason },
  metadata: meta(),
});
const cancel = (reason = 'Négociation abandonnée'): AgreementCommand => ({
  type: 'CancelAgreement',
  data: { ...on, reason },
  metadata: meta(),
});
const check = (today: string): AgreementCommand => ({ type: 'RecordExpiryNotices', data: { ...on, today }, metadata: meta() });
const decision = (reject?: string): RecordFundingDecision => {
  const common = {
    ...on,
    commitmentId: 'commitment-9',
    requestId: REQUEST_ID,
    amount: { amount: '5000000', currency: 'MAD' },
    decidedAt: '2025-03-02T10:00:00.000Z',
  };
  return {
    type: 'RecordFundingDecision',
    data: reject === undefined ? { ...common, decision: 'APPROVED' } : { ...common, decision: 'REJECTED', reason: reject },
    metadata: meta(),
  };
};

// events

const MAD = (amount: string) => ({ amount, currency: 'MAD' });
const drafted = (data: Partial<AgreementDrafted['data']> = {}): AgreementDrafted => ({
  type: 'AgreementDrafted',
  data: {
    ...on,
    partnerId: PARTNER_ID,
    title: TITLE,
    scope: SCOPE,
    period: { start: START, end: END },
    commitments: { ours: ['Financer les sessions'], theirs: ['Accueillir les sessions'] },
    contributions: [{ direction: 'FROM_PARTNER', kind: 'IN_KIND', description: 'Salles et formateurs', estimatedValue: MAD('1500000') }],
    tags: [],
    ...data,
  },
});
const draftedWithMoney = drafted({
  contributions: [{ direction: 'FROM_US', kind: 'FINANCIAL', money: MAD('5000000') }],
  budgetLineId: LINE,
});
const requested: FundingRequested = {
  type: 'FundingRequested',
  data: {
    requestId: REQUEST_ID,
    sourceType: 'AGREEMENT',
    sourceId: AGREEMENT_ID,
    budgetLineId: LINE,
    amount: MAD('5000000'),
    purpose: TITLE,
    requestedAt: NOW,
    regions: ['NATIONAL'],
  },
};
const approved: AgreementEvent = {
  type: 'FundingApproved',
  data: { ...on, commitmentId: 'commitment-9', requestId: REQUEST_ID, amount: MAD('5000000'), decidedAt: '2025-03-02T10:00:00.000Z' },
};
const rejected: AgreementEvent = {
  type: 'FundingRejected',
  data: { ...approved.data, reason: 'Ligne épuisée' },
};
const negotiating: AgreementEvent = { type: 'AgreementNegotiationStarted', data: on };
const signed: AgreementEvent = { type: 'AgreementSigned', data: { ...on, signedOn: '2025-03-01' } };
const activated: AgreementEvent = { type: 'AgreementActivated', data: { ...on, activatedOn: START } };
const renewed = (previousEnd: string, newEnd: string): AgreementEvent => ({
  type: 'AgreementRenewed',
  data: { ...on, previousEnd, newEnd, renewedAt: NOW },
});
const expiring = (threshold: ExpiryThreshold, noticedOn: string, endDate = END): AgreementEvent => ({
  type: 'AgreementExpiring',
  data: { ...on, threshold, endDate, noticedOn },
});
const expired = (expiredOn: string, endDate = END): AgreementEvent => ({ type: 'AgreementExpired', data: { ...on, endDate, expiredOn } });
const terminated: AgreementEvent = { type: 'AgreementTerminated', data: { ...on, reason: 'Partenaire dissous' } };
const cancelled: AgreementEvent = { type: 'AgreementCancelled', data: { ...on, reason: 'Négociation abandonnée' } };
const withdrawn = (reason: string): AgreementEvent => ({
  type: 'FundingWithdrawn',
  data: { requestId: REQUEST_ID, sourceType: 'AGREEMENT', sourceId: AGREEMENT_ID, budgetLineId: LINE, reason, withdrawnAt: NOW },
});

const ruleOf = (rule: string) => ({ rule, code: 'DOMAIN_RULE_VIOLATION' });

const signedLife = [drafted(), negotiating, signed];
const activeLife = [...signedLife, activated];

describe('Agreement', () => {
  describe('when the stream is new', () => {
    it('drafts an agreement without our money: no funding request', () => {
      spec.given([]).when(draft()).then([drafted()]);
    });

    it('drafts an agreement with our money, and requests its funding from finance (national)', () => {
      spec.when(draft({ contributions: [ourMoney], budgetLineId: LINE })).then([draftedWithMoney, requested]);
    });

    it('requests the sum of our financial contributions, and never the partner’s money nor in-kind values', () => {
      const events = agreementDecider.decide(
        draft({
          contributions: [
            ourMoney,
            { direction: 'FROM_US', kind: 'FINANCIAL', money: { amount: 2_500_000n, currency: 'MAD' } },
            { direction: 'FROM_PARTNER', kind: 'FINANCIAL', money: { amount: 9_000_000n } },
            { direction: 'FROM_US', kind: 'IN_KIND', description: 'Experts', estimatedValue: { amount: 0n } },
          ],
          budgetLineId: LINE,
        }),
        agreementDecider.initialState(),
      );
      expect(events[1]).toEqual({ ...requested, data: { ...requested.data, amount: MAD('7500000') } });
    });

    it('keeps a budget line without our money, with tags, trimmed, and no funding request', () => {
      spec
        .when(draft({ budgetLineId: ' line-9 ', tags: [{ kind: 'SDG_TARGET', ref: ' 16.10 ' }], contributions: null }))
        .then([drafted({ budgetLineId: 'line-9', tags: [{ kind: 'SDG_TARGET', ref: '16.10' }], contributions: [] })]);
    });

    it('accepts a one-day period', () => {
      spec.when(draft({ period: { start: START, end: START } })).then([drafted({ period: { start: START, end: START } })]);
    });

    const invalid: Array<[string, Partial<DraftAgreement['data']>, string]> = [
      ['an agreement id without the agreement- prefix', { agreementId: '7c3e' }, 'agreementId'],
      ['a partner id without the partner- prefix', { partnerId: '3f1a' }, 'partnerId'],
      ['a blank French title', { title: { fr: ' ' } }, 'title.fr'],
      ['a scope without French', { scope: { fr: '', en: 'Scope' } }, 'scope.fr'],
      ['an end before the start', { period: { start: END, end: START } }, 'period.end'],
      ['a date that does not exist', { period: { start: '2025-02-30', end: END } }, 'period.start'],
      ['a blank commitment', { commitments: { ours: [' '], theirs: [] } }, 'commitments.ours'],
      ['a duplicate commitment', { commitments: { ours: [], theirs: ['A', ' A'] } }, 'commitments.theirs'],
      ['our money without a budget line', { contributions: [ourMoney] }, 'budgetLineId'],
      [
        'a financial contribution of zero',
        { contributions: [{ ...ourMoney, money: { amount: 0n } }], budgetLineId: LINE },
        'contributions.money.amount',
      ],
      [
        'a negative in-kind value',
        { contributions: [{ ...theirKind, estimatedValue: { amount: -1n } }] },
        'contributions.estimatedValue.amount',
      ],
      ['an in-kind contribution without description', { contributions: [{ ...theirKind, description: '' }] }, 'contributions.description'],
      [
        'a bad currency',
        { contributions: [{ ...theirKind, estimatedValue: { amount: 1n, currency: 'mad' } }] },
        'contributions.estimatedValue.currency',
      ],
      ['an unknown direction', { contributions: [{ ...theirKind, direction: 'BOTH' as never }] }, 'contributions.direction'],
      ['an unknown kind', { contributions: [{ ...theirKind, kind: 'LOAN' as never }] }, 'contributions.kind'],
      [
        'our money in two currencies',
        { contributions: [ourMoney, { ...ourMoney, money: { amount: 1n, currency: 'EUR' } }], budgetLineId: LINE },
        'contributions',
      ],
      [
        'a duplicate tag',
        {
          tags: [
            { kind: 'INSTRUMENT', ref: 'CRC' },
            { kind: 'INSTRUMENT', ref: 'CRC' },
          ],
        },
        'tags',
      ],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(draft(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it.each([
      ['an inactive partner', { status: 'INACTIVE' }],
      ['a partner that does not exist', null],
      ['a partner stream without events', { status: 'NOT_CREATED' }],
    ])('refuses a draft with %s', (_what, partner) => {
      spec.when(draft({ partner })).thenThrows(IllegalStateError, ruleOf(AgreementRules.requiresActivePartner));
    });

    it.each([
      ['StartNegotiation', negotiate()],
      ['SignAgreement', sign()],
      ['ActivateAgreement', activate(START)],
      ['RenewAgreement', renew('2026-12-31')],
      ['TerminateAgreement', terminate()],
      ['CancelAgreement', cancel()],
    ])('refuses %s as NOT_FOUND', (_name, command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it('ignores the system commands', () => {
      spec.given([]).when(decision()).thenNothingHappened();
      spec.given([]).when(check(END)).thenNothingHappened();
    });
  });

  describe('when drafted', () => {
    it('refuses a second draft', () => {
      spec.given([drafted()]).when(draft()).thenThrows(IllegalStateError, ruleOf(AgreementRules.draftAlreadyExists));
    });

    it('starts its negotiation', () => {
      spec.given([drafted()]).when(negotiate()).then([negotiating]);
    });

    it('refuses signature, activation, renewal and termination before negotiation', () => {
      spec.given([drafted()]).when(sign()).thenThrows(IllegalStateError, ruleOf(AgreementRules.signRequiresNegotiation));
      spec.given([drafted()]).when(activate(START)).thenThrows(IllegalStateError, ruleOf(AgreementRules.activateRequiresSigned));
      spec.given([drafted()]).when(renew('2026-12-31')).thenThrows(IllegalStateError, ruleOf(AgreementRules.renewRequiresSignedOrActive));
      spec.given([drafted()]).when(terminate()).thenThrows(IllegalStateError, ruleOf(AgreementRules.terminateRequiresSigned));
    });

    it('is cancelled', () => {
      spec.given([drafted()]).when(cancel(' Négociation abandonnée ')).then([cancelled]);
    });

    it('gets no expiry notice: it is not in force', () => {
      spec.given([drafted()]).when(check('2025-12-30')).thenNothingHappened();
      spec.given([drafted()]).when(check('2026-06-30')).thenNothingHappened();
    });
  });

  describe('when under negotiation', () => {
    it('ignores a second start of negotiation', () => {
      spec.given([drafted(), negotiating]).when(negotiate()).thenNothingHappened();
    });

    it('is signed', () => {
      spec.given([drafted(), negotiating]).when(sign()).then([signed]);
    });

    it('refuses a signature dated after today, or not a date', () => {
      spec.given([drafted(), negotiating]).when(sign('2025-03-02')).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      spec.given([drafted(), negotiating]).when(sign('1 mars')).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
    });

    it('is cancelled, but not terminated', () => {
      spec.given([drafted(), negotiating]).when(cancel()).then([cancelled]);
      spec.given([drafted(), negotiating]).when(terminate()).thenThrows(IllegalStateError, ruleOf(AgreementRules.terminateRequiresSigned));
    });
  });

  describe('with our financial contribution', () => {
    const negotiatingWithMoney = [draftedWithMoney, requested, negotiating];

    it('refuses the signature while finance has not answered', () => {
      spec.given(negotiatingWithMoney).when(sign()).thenThrows(IllegalStateError, ruleOf(AgreementRules.signRequiresFunding));
    });

    it('records finance’s approval, then is signed', () => {
      spec.given(negotiatingWithMoney).when(decision()).then([approved]);
      spec
        .given([...negotiatingWithMoney, approved])
        .when(sign())
        .then([signed]);
    });

    it('records a rejection, after which it is never signed', () => {
      spec.given(negotiatingWithMoney).when(decision('Ligne épuisée')).then([rejected]);
      spec
        .given([...negotiatingWithMoney, rejected])
        .when(sign())
        .thenThrows(IllegalStateError, ruleOf(AgreementRules.signRequiresFunding));
    });

    it('ignores a decision seen again, or one for another request', () => {
      spec
        .given([...negotiatingWithMoney, approved])
        .when(decision())
        .thenNothingHappened();
      const other: RecordFundingDecision = { ...decision(), data: { ...decision().data, requestId: 'other.funding-request' } };
      spec.given(negotiatingWithMoney).when(other).thenNothingHappened();
    });

    it('ignores a decision on an agreement that asked for nothing', () => {
      spec.given([drafted(), negotiating]).when(decision()).thenNothingHappened();
    });

    it('withdraws the pending request when cancelled', () => {
      spec
        .given(negotiatingWithMoney)
        .when(cancel())
        .then([cancelled, withdrawn('Négociation abandonnée')]);
    });

    it('withdraws nothing when finance already said no', () => {
      spec
        .given([...negotiatingWithMoney, rejected])
        .when(cancel())
        .then([cancelled]);
    });

    it('withdraws the approved request when terminated after signature', () => {
      spec
        .given([...negotiatingWithMoney, approved, signed])
        .when(terminate())
        .then([terminated, withdrawn('Partenaire dissous')]);
    });

    it('ignores a decision arriving after it was closed', () => {
      spec
        .given([...negotiatingWithMoney, cancelled])
        .when(decision())
        .thenNothingHappened();
    });
  });

  describe('when signed', () => {
    it('ignores the same signature again, and refuses another date', () => {
      spec.given(signedLife).when(sign()).thenNothingHappened();
      spec.given(signedLife).when(sign('2025-02-28')).thenThrows(IllegalStateError, ruleOf(AgreementRules.signRequiresNegotiation));
    });

    it('is activated on the first day of its period or later', () => {
      spec.given(signedLife).when(activate(START)).then([activated]);
      spec
        .given(signedLife)
        .when(activate(END))
        .then([{ type: 'AgreementActivated', data: { ...on, activatedOn: END } }]);
    });

    it('refuses activation before its period starts or after it ended', () => {
      spec.given(signedLife).when(activate('2025-03-31')).thenThrows(IllegalStateError, ruleOf(AgreementRules.activateBeforeStart));
      spec.given(signedLife).when(activate('2026-01-01')).thenThrows(IllegalStateError, ruleOf(AgreementRules.activateAfterEnd));
    });

    it('is renewed, and terminated', () => {
      spec
        .given(signedLife)
        .when(renew('2026-12-31'))
        .then([renewed(END, '2026-12-31')]);
      spec.given(signedLife).when(terminate()).then([terminated]);
    });

    it('refuses cancellation: a signed agreement is terminated', () => {
      spec.given(signedLife).when(cancel()).thenThrows(IllegalStateError, ruleOf(AgreementRules.cancelRequiresUnsigned));
    });
  });

  describe('when active', () => {
    it('ignores a second activation', () => {
      spec.given(activeLife).when(activate('2025-05-01')).thenNothingHappened();
    });

    it('is renewed to a later end; the same end again is a no-op; an earlier one is refused', () => {
      spec
        .given(activeLife)
        .when(renew('2026-06-30'))
        .then([renewed(END, '2026-06-30')]);
      spec.given(activeLife).when(renew(END)).thenNothingHappened();
      spec.given(activeLife).when(renew('2025-11-30')).thenThrows(IllegalStateError, ruleOf(AgreementRules.renewMustExtend));
      spec.given(activeLife).when(renew('2026-13-01')).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
    });

    it('is terminated with a reason, and refuses a blank one', () => {
      spec.given(activeLife).when(terminate()).then([terminated]);
      spec.given(activeLife).when(terminate('  ')).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
    });
  });

  describe('the expiry notices of the daily check', () => {
    it('writes nothing more than 60 days before the end', () => {
      spec.given(activeLife).when(check('2025-10-31')).thenNothingHappened();
    });

    it('writes the 60-day notice on the 60th day before the end, then nothing until 30 days', () => {
      spec.given(activeLife).when(check('2025-10-31')).thenNothingHappened();
      spec
        .given(activeLife)
        .when(check('2025-11-01'))
        .then([expiring(60, '2025-11-01')]);
      spec
        .given([...activeLife, expiring(60, '2025-11-01')])
        .when(check('2025-11-02'))
        .thenNothingHappened();
      spec
        .given([...activeLife, expiring(60, '2025-11-01')])
        .when(check('2025-12-01'))
        .then([expiring(30, '2025-12-01')]);
      spec
        .given([...activeLife, expiring(60, '2025-11-01'), expiring(30, '2025-12-01')])
        .when(check('2025-12-24'))
        .then([expiring(7, '2025-12-24')]);
    });

    it('writes every threshold it missed, largest first, when the first check is 5 days before the end', () => {
      spec
        .given(activeLife)
        .when(check('2025-12-26'))
        .then([expiring(60, '2025-12-26'), expiring(30, '2025-12-26'), expiring(7, '2025-12-26')]);
    });

    it('writes each notice exactly once, however often it runs', () => {
      const noticed = [...activeLife, expiring(60, '2025-12-26'), expiring(30, '2025-12-26'), expiring(7, '2025-12-26')];
      spec.given(noticed).when(check('2025-12-26')).thenNothingHappened();
      spec.given(noticed).when(check('2025-12-31')).thenNothingHappened();
    });

    it('expires the agreement the day after its end, once', () => {
      const noticed = [...activeLife, expiring(60, '2025-11-01'), expiring(30, '2025-12-01'), expiring(7, '2025-12-24')];
      spec.given(noticed).when(check('2025-12-31')).thenNothingHappened();
      spec
        .given(noticed)
        .when(check('2026-01-01'))
        .then([expired('2026-01-01')]);
      spec
        .given([...noticed, expired('2026-01-01')])
        .when(check('2026-01-02'))
        .thenNothingHappened();
    });

    it('writes the missed notices, then the expiry, when the service was down past the end', () => {
      spec
        .given(activeLife)
        .when(check('2026-01-10'))
        .then([expiring(60, '2026-01-10'), expiring(30, '2026-01-10'), expiring(7, '2026-01-10'), expired('2026-01-10')]);
    });

    it('watches a signed agreement not activated yet, and expires it too', () => {
      spec
        .given(signedLife)
        .when(check('2025-11-01'))
        .then([expiring(60, '2025-11-01')]);
      spec
        .given([...signedLife, expiring(60, '2025-11-01'), expiring(30, '2025-12-01'), expiring(7, '2025-12-24')])
        .when(check('2026-01-01'))
        .then([expired('2026-01-01')]);
    });

    it('starts again for the new end date after a renewal', () => {
      const noticed = [...activeLife, expiring(60, '2025-11-01'), expiring(30, '2025-12-01'), expiring(7, '2025-12-24')];
      const renewedLife = [...noticed, renewed(END, '2026-06-30')];
      spec.given(renewedLife).when(check('2025-12-31')).thenNothingHappened();
      spec.given(renewedLife).when(check('2026-01-01')).thenNothingHappened();
      spec
        .given(renewedLife)
        .when(check('2026-05-01'))
        .then([expiring(60, '2026-05-01', '2026-06-30')]);
    });

    it('notices at once a renewal to a date still within 30 days', () => {
      const renewedLife = [...activeLife, expiring(60, '2025-11-01'), expiring(30, '2025-12-01'), renewed(END, '2026-01-15')];
      spec
        .given(renewedLife)
        .when(check('2025-12-20'))
        .then([expiring(60, '2025-12-20', '2026-01-15'), expiring(30, '2025-12-20', '2026-01-15')]);
    });

    it('is a no-op on a closed agreement', () => {
      spec
        .given([...activeLife, terminated])
        .when(check('2026-01-10'))
        .thenNothingHappened();
      spec.given([drafted(), cancelled]).when(check('2026-01-10')).thenNothingHappened();
    });

    it('refuses a day that is not a date (an adapter bug)', () => {
      spec.given(activeLife).when(check('2025-12-32')).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
    });
  });

  describe('when closed', () => {
    it.each([
      [
        'expired',
        [...activeLife, expiring(60, '2026-01-01'), expiring(30, '2026-01-01'), expiring(7, '2026-01-01'), expired('2026-01-01')],
      ],
      ['terminated', [...activeLife, terminated]],
      ['cancelled', [drafted(), cancelled]],
    ])('refuses every user command when %s', (_what, history) => {
      for (const command of [negotiate(), sign(), activate('2025-06-01'), renew('2027-01-01'), terminate(), cancel()]) {
        spec.given(history).when(command).thenThrows(IllegalStateError, ruleOf(AgreementRules.closed));
      }
    });

    it('still refuses a second draft', () => {
      spec.given([drafted(), cancelled]).when(draft()).thenThrows(IllegalStateError, ruleOf(AgreementRules.draftAlreadyExists));
    });
  });
});
