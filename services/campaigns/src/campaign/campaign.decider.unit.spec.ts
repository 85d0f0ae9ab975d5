import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError } from '@hrp/domain-kit';
import type {
  CampaignCommand,
  CancelActivity,
  CancelCampaign,
  CreateCampaign,
  RecordActivityHeld,
  RecordFundingDecision,
  ScheduleActivity,
} from './campaign.decider';
import { CampaignRules, campaignDecider } from './campaign.decider';
import type {
  ActivityCancelled,
  ActivityHeld,
  ActivityScheduled,
  CampaignCancelled,
  CampaignCreated,
  CampaignEvent,
  FundingApproved,
  FundingRejected,
  FundingRequested,
  FundingWithdrawn,
} from './campaign.events';

// ---------- fixtures ----------

const CAMPAIGN_ID = 'campaign-0b7c5e1a-2f4d-4a8e-9c3b-1d2e3f4a5b6c';
const ACTIVITY_ID = 'activity-7d1f';
const REQUEST_ID = 'request-41c2';
const COMMITMENT_ID = 'commitment-9e20';
const NOW = '2025-03-01T09:00:00.000Z';
const TITLE = { fr: 'Caravane des droits de l’enfant', ar: 'قافلة حقوق الطفل' };
const COST = { amount: '5000000', currency: 'MAD' }; // 50,000.00 MAD

const meta = (ids?: string[]): CommandMetadata => ({
  now: NOW,
  actor: { subject: 'kc-campaign-manager', username: 'campaign-manager' },
  correlationId: 'corr-1',
  ...(ids !== undefined ? { ids } : {}),
});

const spec = DeciderSpecification.for(campaignDecider);

// commands

const create = (data: Partial<CreateCampaign['data']> = {}): CreateCampaign => ({
  type: 'CreateCampaign',
  data: {
    campaignId: CAMPAIGN_ID,
    title: TITLE,
    themes: ['droits de l’enfant'],
    audiences: ['YOUTH', 'CIVIL_SOCIETY'],
    channels: ['EVENTS'],
    regions: ['MA-01'],
    startDate: '2025-04-01',
    endDate: '2025-06-30',
    targetReach: 5000,
    knownPartners: [],
    ...data,
  },
  metadata: meta(),
});
const plan = (ids?: string[]): CampaignCommand => ({ type: 'PlanCampaign', data: { campaignId: CAMPAIGN_ID }, metadata: meta(ids) });
const launch = (): CampaignCommand => ({ type: 'LaunchCampaign', data: { campaignId: CAMPAIGN_ID }, metadata: meta() });
const complete = (): CampaignCommand => ({ type: 'CompleteCampaign', data: { campaignId: CAMPAIGN_ID }, metadata: meta() });
const cancel = (reason = 'Budget gelé'): CancelCampaign => ({
  type: 'CancelCampaign',
  data: { campaignId: CAMPAIGN_ID, reason },
  metadata: meta(),
});
const schedule = (data: Partial<ScheduleActivity['data']> = {}, ids: string[] = [ACTIVITY_ID]): ScheduleActivity => ({
  type: 'ScheduleActivity',
  data: { campaignId: CAMPAIGN_ID, kind: 'WORKSHOP', date: '2025-04-15', region: 'MA-01', ...data },
  metadata: meta(ids),
});
const PARTICIPANTS = { female: 12, male: 9, undisclosed: 1, withDisability: 2 };
const recordHeld = (data: Partial<RecordActivityHeld['data']> = {}): RecordActivityHeld => ({
  type: 'RecordActivityHeld',
  data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, participants: PARTICIPANTS, ...data },
  metadata: meta(),
});
const cancelActivity = (reason = 'Salle indisponible', activityId = ACTIVITY_ID): CancelActivity => ({
  type: 'CancelActivity',
  data: { campaignId: CAMPAIGN_ID, activityId, reason },
  metadata: meta(),
});
const approve = (data: Partial<{ commitmentId: string; requestId: string }> = {}): RecordFundingDecision => ({
  type: 'RecordFundingDecision',
  data: {
    campaignId: CAMPAIGN_ID,
    decision: 'APPROVED',
    commitmentId: COMMITMENT_ID,
    requestId: REQUEST_ID,
    amount: COST,
    decidedAt: '2025-03-05T10:00:00.000Z',
    ...data,
  },
  metadata: meta(),
});
const reject = (reason = 'Ligne épuisée'): RecordFundingDecision => ({
  type: 'RecordFundingDecision',
  data: {
    campaignId: CAMPAIGN_ID,
    decision: 'REJECTED',
    commitmentId: COMMITMENT_ID,
    requestId: REQUEST_ID,
    amount: COST,
    decidedAt: '2025-03-05T10:00:00.000Z',
    reason,
  },
  metadata: meta(),
});

// events

const created = (data: Partial<CampaignCreated['data']> = {}): CampaignCreated => ({
  type: 'CampaignCreated',
  data: {
    campaignId: CAMPAIGN_ID,
    title: TITLE,
    themes: ['droits de l’enfant'],
    tags: [],
    audiences: ['YOUTH', 'CIVIL_SOCIETY'],
    channels: ['EVENTS'],
    regions: ['MA-01'],
    startDate: '2025-04-01',
    endDate: '2025-06-30',
    targetReach: 5000,
    partnerIds: [],
    ...data,
  },
});
const createdWithCost = (): CampaignCreated => created({ budgetLineId: 'line-awareness-2025', estimatedCost: COST });
const planned: CampaignEvent = { type: 'CampaignPlanned', data: { campaignId: CAMPAIGN_ID } };
const fundingRequested = (requestId = REQUEST_ID, regions: readonly string[] = ['MA-01']): FundingRequested => ({
  type: 'FundingRequested',
  data: {
    requestId,
    sourceType: 'CAMPAIGN',
    sourceId: CAMPAIGN_ID,
    budgetLineId: 'line-awareness-2025',
    amount: COST,
    purpose: TITLE,
    requestedAt: NOW,
    regions,
  },
});
const fundingWithdrawn = (reason = 'Budget gelé'): FundingWithdrawn => ({
  type: 'FundingWithdrawn',
  data: {
    requestId: REQUEST_ID,
    sourceType: 'CAMPAIGN',
    sourceId: CAMPAIGN_ID,
    budgetLineId: 'line-awareness-2025',
    reason,
    withdrawnAt: NOW,
  },
});
const fundingApproved: FundingApproved = {
  type: 'FundingApproved',
  data: {
    campaignId: CAMPAIGN_ID,
    commitmentId: COMMITMENT_ID,
    requestId: REQUEST_ID,
    amount: COST,
    decidedAt: '2025-03-05T10:00:00.000Z',
  },
};
const fundingRejected: FundingRejected = {
  type: 'FundingRejected',
  data: {
    campaignId: CAMPAIGN_ID,
    commitmentId: COMMITMENT_ID,
    requestId: REQUEST_ID,
    amount: COST,
    reason: 'Ligne épuisée',
    decidedAt: '2025-03-05T10:00:00.000Z',
  },
};
const launched: CampaignEvent = { type: 'CampaignLaunched', data: { campaignId: CAMPAIGN_ID } };
const scheduled = (data: Partial<ActivityScheduled['data']> = {}): ActivityScheduled => ({
  type: 'ActivityScheduled',
  data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, kind: 'WORKSHOP', date: '2025-04-15', region: 'MA-01', ...data },
});
const held: ActivityHeld = { type: 'ActivityHeld', data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, participants: PARTICIPANTS } };
const activityCancelled: ActivityCancelled = {
  type: 'ActivityCancelled',
  data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, reason: 'Salle indisponible' },
};
const completed: CampaignEvent = { type: 'CampaignCompleted', data: { campaignId: CAMPAIGN_ID } };
const cancelled: CampaignCancelled = { type: 'CampaignCancelled', data: { campaignId: CAMPAIGN_ID, reason: 'Budget gelé' } };

// histories

const draft = [created()];
const plannedNoCost = [created(), planned];
const awaitingFunding = [createdWithCost(), planned, fundingRequested()];
const funded = [...awaitingFunding, fundingApproved];
const rejected = [...awaitingFunding, fundingRejected];
const active = [...plannedNoCost, launched];

const ruleOf = (rule: string) => ({ rule, code: 'DOMAIN_RULE_VIOLATION' });

/** Every command a user can send, for the "closed" and "not found" situations. */
const everyUserCommand = (): Array<[string, CampaignCommand]> => [
  ['CreateCampaign', create()],
  ['PlanCampaign', plan()],
  ['LaunchCampaign', launch()],
  ['ScheduleActivity', schedule()],
  ['RecordActivityHeld', recordHeld()],
  ['CancelActivity', cancelActivity()],
  ['CompleteCampaign', complete()],
  ['CancelCampaign', cancel()],
];

describe('Campaign', () => {
  describe('when the stream is new', () => {
    it('creates a draft campaign, with absent optional fields left out and empty lists filled in', () => {
      spec.given([]).when(create()).then([created()]);
    });

    it('creates a campaign with every field, the cost as a MinorUnits string defaulting to MAD', () => {
      spec
        .when(
          create({
            objective: { fr: 'Faire connaître la CIDE', en: null },
            themes: [' enfance ', 'participation'],
            tags: [
              { kind: 'SDG_TARGET', ref: '16.2' },
              { kind: 'INSTRUMENT', ref: 'CRC' },
            ],
            regions: ['MA-01', 'MA-06'],
            partnerIds: ['partner-1'],
            knownPartners: [{ id: 'partner-1', status: 'ACTIVE' }],
            budgetLineId: 'line-awareness-2025',
            estimatedCost: { amount: 5_000_000n },
          }),
        )
        .then([
          created({
            objective: { fr: 'Faire connaître la CIDE' },
            themes: ['enfance', 'participation'],
            tags: [
              { kind: 'SDG_TARGET', ref: '16.2' },
              { kind: 'INSTRUMENT', ref: 'CRC' },
            ],
            regions: ['MA-01', 'MA-06'],
            partnerIds: ['partner-1'],
            budgetLineId: 'line-awareness-2025',
            estimatedCost: { amount: '5000000', currency: 'MAD' },
          }),
        ]);
    });

    it('treats null optional inputs as absent', () => {
      spec.when(create({ objective: null, tags: null, partnerIds: null, budgetLineId: null, estimatedCost: null })).then([created()]);
    });

    it('accepts a one-day period and a zero target', () => {
      spec
        .when(create({ startDate: '2025-04-01', endDate: '2025-04-01', targetReach: 0 }))
        .then([created({ startDate: '2025-04-01', endDate: '2025-04-01', targetReach: 0 })]);
    });

    const invalid: Array<[string, Partial<CreateCampaign['data']>, string]> = [
      ['a campaign id without the campaign- prefix', { campaignId: '0b7c5e1a' }, 'campaignId'],
      ['a blank French title', { title: { fr: '   ', en: 'Caravan' } }, 'title.fr'],
      ['a title longer than 300 characters', { title: { fr: 'é'.repeat(301) } }, 'title.fr'],
      ['an objective without French', { objective: { fr: '' } }, 'objective.fr'],
      ['a blank theme', { themes: ['ok', ' '] }, 'themes'],
      ['more than 20 themes', { themes: Array.from({ length: 21 }, (_, i) => `thème ${i}`) }, 'themes'],
      ['a theme longer than 100 characters', { themes: ['x'.repeat(101)] }, 'themes'],
      ['a duplicate theme', { themes: ['enfance', 'enfance'] }, 'themes'],
      ['a tag of unknown kind', { tags: [{ kind: 'HASHTAG' as never, ref: 'x' }] }, 'tags'],
      ['a tag with a blank ref', { tags: [{ kind: 'SDG_TARGET', ref: ' ' }] }, 'tags'],
      ['an unknown audience', { audiences: ['TOURISTS' as never] }, 'audiences'],
      ['a duplicate channel', { channels: ['TV', 'TV'] }, 'channels'],
      ['no region', { regions: [] }, 'regions'],
      ['an unknown region', { regions: ['MA-13'] }, 'regions'],
      ['a duplicate region', { regions: ['MA-01', 'MA-01'] }, 'regions'],
      ['NATIONAL with another region', { regions: ['NATIONAL', 'MA-01'] }, 'regions'],
      ['a start date that does not exist', { startDate: '2025-02-30' }, 'startDate'],
      ['an end date that is not YYYY-MM-DD', { endDate: '30/06/2025' }, 'endDate'],
      ['an end date before the start date', { startDate: '2025-06-30', endDate: '2025-06-01' }, 'endDate'],
      ['a negative target reach', { targetReach: -1 }, 'targetReach'],
      ['a fractional target reach', { targetReach: 1.5 }, 'targetReach'],
      ['a blank partner id', { partnerIds: [''] }, 'partnerIds'],
      ['a blank budget line id', { budgetLineId: ' ' }, 'budgetLineId'],
      ['a negative cost', { estimatedCost: { amount: -1n } }, 'estimatedCost.amount'],
      ['a cost given as a float', { estimatedCost: { amount: 12.5 as never } }, 'estimatedCost.amount'],
      ['a lowercase currency', { estimatedCost: { amount: 100n, currency: 'mad' } }, 'estimatedCost.currency'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(create(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    describe('naming partners (checked against what the adapter found in known_partners)', () => {
      const UNICEF = 'partner-unicef';
      const OHCHR = 'partner-ohchr';

      it('creates the campaign when every named partner is known and active', () => {
        spec
          .given([])
          .when(
            create({
              partnerIds: [UNICEF, OHCHR],
              knownPartners: [
                { id: OHCHR, status: 'ACTIVE' },
                { id: UNICEF, status: 'ACTIVE' },
              ],
            }),
          )
          .then([created({ partnerIds: [UNICEF, OHCHR] })]);
      });

      it('refuses a partner id the view does not know, naming it', () => {
        const error = spec
          .given([])
          .when(create({ partnerIds: [UNICEF, 'partner-made-up'], knownPartners: [{ id: UNICEF, status: 'ACTIVE' }] }))
          .thenThrows(IllegalStateError, ruleOf(CampaignRules.partnerUnknown));
        expect(error.message).toContain('partner-made-up');
        expect(error.message).not.toContain(UNICEF);
      });

      it('refuses a partner id when the adapter found nothing (no lookup is no licence)', () => {
        spec
          .given([])
          .when(create({ partnerIds: [UNICEF] }))
          .thenThrows(IllegalStateError, ruleOf(CampaignRules.partnerUnknown));
      });

      it('refuses a new reference to an inactive partner', () => {
        const error = spec
          .given([])
          .when(
            create({
              partnerIds: [UNICEF, OHCHR],
              knownPartners: [
                { id: UNICEF, status: 'ACTIVE' },
                { id: OHCHR, status: 'INACTIVE' },
              ],
            }),
          )
          .thenThrows(IllegalStateError, ruleOf(CampaignRules.partnerInactive));
        expect(error.message).toContain(OHCHR);
      });

      it('reports unknown ids before inactive ones', () => {
        spec
          .given([])
          .when(create({ partnerIds: [OHCHR, 'partner-made-up'], knownPartners: [{ id: OHCHR, status: 'INACTIVE' }] }))
          .thenThrows(IllegalStateError, ruleOf(CampaignRules.partnerUnknown));
      });

      it('ignores what the adapter found beyond the named ids', () => {
        spec
          .given([])
          .when(create({ partnerIds: [], knownPartners: [{ id: OHCHR, status: 'INACTIVE' }] }))
          .then([created()]);
      });

      it('refuses malformed ids as bad input before looking at partners', () => {
        const error = spec.when(create({ partnerIds: [UNICEF, UNICEF] })).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
        expect(error.field).toBe('partnerIds');
      });
    });

    it.each(everyUserCommand().filter(([name]) => name !== 'CreateCampaign'))('refuses %s as NOT_FOUND', (_name, command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    it('ignores a funding decision (nothing was requested)', () => {
      spec.given([]).when(approve()).thenNothingHappened();
    });
  });

  describe('when created (draft)', () => {
    it('refuses a second creation', () => {
      spec.given(draft).when(create()).thenThrows(IllegalStateError, ruleOf(CampaignRules.createAlreadyExists));
    });

    it('plans a campaign without a cost, requesting no funding', () => {
      spec.given(draft).when(plan()).then([planned]);
    });

    it('refuses to plan without a target audience', () => {
      spec
        .given([created({ audiences: [] })])
        .when(plan())
        .thenThrows(IllegalStateError, ruleOf(CampaignRules.planRequiresAudienceAndChannel));
    });

    it('refuses to plan without a channel', () => {
      spec
        .given([created({ channels: [] })])
        .when(plan())
        .thenThrows(IllegalStateError, ruleOf(CampaignRules.planRequiresAudienceAndChannel));
    });

    it('refuses launch before planning', () => {
      spec.given(draft).when(launch()).thenThrows(IllegalStateError, ruleOf(CampaignRules.launchRequiresPlanned));
    });

    it('refuses to schedule an activity before planning', () => {
      spec.given(draft).when(schedule()).thenThrows(IllegalStateError, ruleOf(CampaignRules.activityCampaignNotOpen));
    });

    it('has no activity to record or cancel', () => {
      spec.given(draft).when(recordHeld()).thenThrows(NotFoundError);
      spec.given(draft).when(cancelActivity()).thenThrows(NotFoundError);
    });

    it('refuses completion', () => {
      spec.given(draft).when(complete()).thenThrows(IllegalStateError, ruleOf(CampaignRules.completeRequiresActive));
    });

    it('is cancelled with a reason, trimmed', () => {
      spec.given(draft).when(cancel('  Budget gelé ')).then([cancelled]);
    });

    it('refuses cancellation without a reason', () => {
      const error = spec.given(draft).when(cancel('  ')).thenThrows(ValidationError);
      expect(error.field).toBe('reason');
    });

    it('ignores a funding decision (nothing was requested)', () => {
      spec.given(draft).when(approve()).thenNothingHappened();
      spec.given(draft).when(reject()).thenNothingHappened();
    });
  });

  describe('when created with a cost', () => {
    it('planning also requests funding, with the fresh id from the metadata', () => {
      spec
        .given([createdWithCost()])
        .when(plan([REQUEST_ID]))
        .then([planned, fundingRequested()]);
    });

    it.each<[string, string[]]>([
      ['several regions', ['MA-01', 'MA-06', 'MA-12']],
      ['NATIONAL', ['NATIONAL']],
    ])("carries the campaign's regions in the request (%s)", (_what, regions) => {
      spec
        .given([created({ regions: regions as never, budgetLineId: 'line-awareness-2025', estimatedCost: COST })])
        .when(plan([REQUEST_ID]))
        .then([planned, fundingRequested(REQUEST_ID, regions)]);
    });

    it('is cancelled without a withdrawal: nothing was requested yet', () => {
      spec.given([createdWithCost()]).when(cancel()).then([cancelled]);
    });

    it('derives the request id from the campaign when the metadata brings none', () => {
      spec
        .given([createdWithCost()])
        .when(plan())
        .then([planned, fundingRequested(`${CAMPAIGN_ID}.funding-request`)]);
    });

    it('refuses to plan without a budget line', () => {
      spec
        .given([created({ estimatedCost: COST })])
        .when(plan([REQUEST_ID]))
        .thenThrows(IllegalStateError, ruleOf(CampaignRules.planCostRequiresBudgetLine));
    });

    it('plans a zero cost without requesting funding', () => {
      spec
        .given([created({ estimatedCost: { amount: '0', currency: 'MAD' } })])
        .when(plan([REQUEST_ID]))
        .then([planned]);
    });

    it('still needs an audience and a channel first', () => {
      spec
        .given([created({ channels: [], budgetLineId: 'line-awareness-2025', estimatedCost: COST })])
        .when(plan([REQUEST_ID]))
        .thenThrows(IllegalStateError, ruleOf(CampaignRules.planRequiresAudienceAndChannel));
    });
  });

  describe('when planned without a cost', () => {
    it('refuses a second plan', () => {
      spec.given(plannedNoCost).when(plan()).thenThrows(IllegalStateError, ruleOf(CampaignRules.planRequiresDraft));
    });

    it('launches without funding', () => {
      spec.given(plannedNoCost).when(launch()).then([launched]);
    });

    it('schedules an activity with the id from the metadata, venue trimmed and title kept', () => {
      spec
        .given(plannedNoCost)
        .when(schedule({ kind: 'CARAVAN', venue: ' Place Mohammed V ', title: { fr: 'Étape de Tanger' } }))
        .then([scheduled({ kind: 'CARAVAN', venue: 'Place Mohammed V', title: { fr: 'Étape de Tanger' } })]);
    });

    it.each(['2025-04-01', '2025-06-30'])('schedules an activity on the period boundary %s (closed interval)', (date) => {
      spec
        .given(plannedNoCost)
        .when(schedule({ date }))
        .then([scheduled({ date })]);
    });

    it.each(['2025-03-31', '2025-07-01'])('refuses an activity on %s, outside the period', (date) => {
      spec.given(plannedNoCost).when(schedule({ date })).thenThrows(IllegalStateError, ruleOf(CampaignRules.activityDateOutsidePeriod));
    });

    it("refuses an activity outside the campaign's regions", () => {
      spec
        .given(plannedNoCost)
        .when(schedule({ region: 'MA-06' }))
        .thenThrows(IllegalStateError, ruleOf(CampaignRules.activityRegionOutsideCampaign));
    });

    it('refuses a NATIONAL activity in a regional campaign', () => {
      spec
        .given(plannedNoCost)
        .when(schedule({ region: 'NATIONAL' }))
        .thenThrows(IllegalStateError, ruleOf(CampaignRules.activityRegionOutsideCampaign));
    });

    const invalid: Array<[string, Partial<ScheduleActivity['data']>, string]> = [
      ['an unknown kind', { kind: 'PICNIC' as never }, 'kind'],
      ['a date that does not exist', { date: '2025-04-31' }, 'date'],
      ['an unknown region', { region: 'MA-00' }, 'region'],
      ['a blank venue', { venue: '  ' }, 'venue'],
      ['a title without French', { title: { fr: '' } }, 'title.fr'],
    ];
    it.each(invalid)('refuses an activity with %s, naming the field', (_what, data, field) => {
      const error = spec.given(plannedNoCost).when(schedule(data)).thenThrows(ValidationError);
      expect(error.field).toBe(field);
    });

    it('refuses to schedule without a fresh id (an adapter bug, not a user error)', () => {
      spec
        .given(plannedNoCost)
        .when(schedule({}, []))
        .thenThrows((e) => e instanceof Error && !(e instanceof ValidationError) && /metadata\.ids\[0\]/.test(e.message));
    });

    it('refuses completion before launch', () => {
      spec.given(plannedNoCost).when(complete()).thenThrows(IllegalStateError, ruleOf(CampaignRules.completeRequiresActive));
    });

    it('ignores a funding decision (nothing was requested)', () => {
      spec.given(plannedNoCost).when(approve()).thenNothingHappened();
    });

    it('is cancelled without a withdrawal: no funding was requested', () => {
      spec.given(plannedNoCost).when(cancel()).then([cancelled]);
    });
  });

  describe('when planned as a national campaign', () => {
    const national = [created({ regions: ['NATIONAL'] }), planned];

    it.each(['MA-06', 'MA-12', 'NATIONAL'])('schedules an activity in %s', (region) => {
      spec
        .given(national)
        .when(schedule({ region }))
        .then([scheduled({ region: region as never })]);
    });
  });

  describe('when planned with a cost, funding requested', () => {
    it('refuses launch before funding is approved', () => {
      spec.given(awaitingFunding).when(launch()).thenThrows(IllegalStateError, ruleOf(CampaignRules.launchRequiresFunding));
    });

    it('records the approval', () => {
      spec.given(awaitingFunding).when(approve()).then([fundingApproved]);
    });

    it('records the rejection with its reason', () => {
      spec.given(awaitingFunding).when(reject()).then([fundingRejected]);
    });

    it('records a decision that names no request (a commitment matched by source)', () => {
      const { requestId: _ignored, ...data } = fundingApproved.data;
      const command = approve();
      const { requestId: _dropped, ...withoutRequest } = command.data;
      spec
        .given(awaitingFunding)
        .when({ ...command, data: withoutRequest as RecordFundingDecision['data'] })
        .then([{ type: 'FundingApproved', data }]);
    });

    it('ignores a decision about another request', () => {
      spec
        .given(awaitingFunding)
        .when(approve({ requestId: 'request-other' }))
        .thenNothingHappened();
    });

    it('refuses a rejection without a reason', () => {
      const error = spec.given(awaitingFunding).when(reject(' ')).thenThrows(ValidationError);
      expect(error.field).toBe('reason');
    });

    it('schedules activities while waiting', () => {
      spec.given(awaitingFunding).when(schedule()).then([scheduled()]);
    });

    it('is cancelled, withdrawing the pending request with the reason and the time of the command', () => {
      spec.given(awaitingFunding).when(cancel()).then([cancelled, fundingWithdrawn()]);
    });

    it('withdraws with the trimmed reason, as the cancellation records it, at the time of the command', () => {
      const later = '2025-04-02T08:00:00.000Z';
      const withdrawn = fundingWithdrawn('Partenaire retiré');
      spec
        .given(awaitingFunding)
        .when({ ...cancel('  Partenaire retiré '), metadata: { ...meta(), now: later } })
        .then([
          { ...cancelled, data: { ...cancelled.data, reason: 'Partenaire retiré' } },
          { ...withdrawn, data: { ...withdrawn.data, withdrawnAt: later } },
        ]);
    });
  });

  describe('when funding is approved', () => {
    it('launches', () => {
      spec.given(funded).when(launch()).then([launched]);
    });

    it('ignores the same approval again (redelivery)', () => {
      spec.given(funded).when(approve()).thenNothingHappened();
    });

    it('ignores a later rejection: the decision is recorded only while requested', () => {
      spec.given(funded).when(reject()).thenNothingHappened();
    });

    it('is cancelled, withdrawing the approved request so that finance releases the commitment', () => {
      spec.given(funded).when(cancel()).then([cancelled, fundingWithdrawn()]);
    });

    it('is cancelled once launched, still withdrawing the request', () => {
      spec
        .given([...funded, launched, scheduled()])
        .when(cancel())
        .then([cancelled, fundingWithdrawn()]);
    });
  });

  describe('when funding is rejected', () => {
    it('refuses launch: a rejected campaign stays planned and can only be cancelled', () => {
      spec.given(rejected).when(launch()).thenThrows(IllegalStateError, ruleOf(CampaignRules.launchRequiresFunding));
    });

    it('ignores the same rejection again (redelivery)', () => {
      spec.given(rejected).when(reject()).thenNothingHappened();
    });

    it('ignores a later approval', () => {
      spec.given(rejected).when(approve()).thenNothingHappened();
    });

    it('is cancelled without a withdrawal: finance opened nothing to release', () => {
      spec.given(rejected).when(cancel()).then([cancelled]);
    });
  });

  describe('when launched', () => {
    it('rejects a second launch', () => {
      spec.given(active).when(launch()).thenThrows(IllegalStateError, ruleOf(CampaignRules.launchRequiresPlanned));
    });

    it('refuses to be planned again', () => {
      spec.given(active).when(plan()).thenThrows(IllegalStateError, ruleOf(CampaignRules.planRequiresDraft));
    });

    it('schedules an activity', () => {
      spec.given(active).when(schedule()).then([scheduled()]);
    });

    it('completes', () => {
      spec.given(active).when(complete()).then([completed]);
    });

    it('completes with an activity still scheduled (it counts for nothing)', () => {
      spec
        .given([...active, scheduled()])
        .when(complete())
        .then([completed]);
    });

    it('is cancelled', () => {
      spec.given(active).when(cancel()).then([cancelled]);
    });

    it('does not know an activity that was never scheduled', () => {
      const error = spec.given(active).when(recordHeld()).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
      expect(error.id).toBe(ACTIVITY_ID);
      spec.given(active).when(cancelActivity()).thenThrows(NotFoundError);
    });
  });

  describe('when an activity is scheduled in an active campaign', () => {
    const history = [...active, scheduled()];

    it('records it held with its participants', () => {
      spec.given(history).when(recordHeld()).then([held]);
    });

    it('records a media spot with its reach and age groups', () => {
      const participants = {
        ...PARTICIPANTS,
        byAgeGroup: [
          { ageGroup: 'AGE_18_24' as const, count: 20 },
          { ageGroup: 'AGE_25_34' as const, count: 2 },
        ],
      };
      spec
        .given(history)
        .when(recordHeld({ participants, mediaReach: 120000 }))
        .then([{ type: 'ActivityHeld', data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, participants, mediaReach: 120000 } }]);
    });

    it('records an activity nobody attended', () => {
      const participants = { female: 0, male: 0, undisclosed: 0, withDisability: 0 };
      spec
        .given(history)
        .when(recordHeld({ participants, mediaReach: null }))
        .then([{ type: 'ActivityHeld', data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, participants } }]);
    });

    const invalid: Array<[string, Partial<RecordActivityHeld['data']>, string]> = [
      ['a negative count', { participants: { ...PARTICIPANTS, female: -1 } }, 'participants'],
      ['a fractional count', { participants: { ...PARTICIPANTS, male: 2.5 } }, 'participants'],
      [
        'more people with a disability than people',
        { participants: { female: 1, male: 0, undisclosed: 0, withDisability: 2 } },
        'participants',
      ],
      [
        'age groups that do not sum to the total',
        { participants: { ...PARTICIPANTS, byAgeGroup: [{ ageGroup: 'UNDER_18', count: 3 }] } },
        'participants',
      ],
      ['a negative media reach', { mediaReach: -5 }, 'mediaReach'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.given(history).when(recordHeld(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it('cancels it with a reason', () => {
      spec.given(history).when(cancelActivity()).then([activityCancelled]);
    });

    it('refuses to cancel it without a reason', () => {
      const error = spec.given(history).when(cancelActivity('')).thenThrows(ValidationError);
      expect(error.field).toBe('reason');
    });

    it('schedules a second activity next to it', () => {
      spec
        .given(history)
        .when(schedule({ date: '2025-05-02' }, ['activity-second']))
        .then([scheduled({ activityId: 'activity-second', date: '2025-05-02' })]);
    });

    it('refuses a fresh id that is already used (an adapter bug)', () => {
      spec
        .given(history)
        .when(schedule())
        .thenThrows((e) => e instanceof Error && /already used/.test(e.message));
    });
  });

  describe('when an activity is scheduled in a planned campaign', () => {
    const history = [...plannedNoCost, scheduled()];

    it('refuses to record it held before launch', () => {
      spec.given(history).when(recordHeld()).thenThrows(IllegalStateError, ruleOf(CampaignRules.activityRequiresActiveCampaign));
    });

    it('cancels it', () => {
      spec.given(history).when(cancelActivity()).then([activityCancelled]);
    });
  });

  describe('when an activity was held', () => {
    const history = [...active, scheduled(), held];

    it('refuses to record it again', () => {
      spec.given(history).when(recordHeld()).thenThrows(IllegalStateError, ruleOf(CampaignRules.activityNotScheduled));
    });

    it('refuses to cancel it', () => {
      spec.given(history).when(cancelActivity()).thenThrows(IllegalStateError, ruleOf(CampaignRules.activityNotScheduled));
    });
  });

  describe('when an activity was cancelled', () => {
    const history = [...active, scheduled(), activityCancelled];

    it('refuses to record it held', () => {
      spec.given(history).when(recordHeld()).thenThrows(IllegalStateError, ruleOf(CampaignRules.activityNotScheduled));
    });

    it('refuses to cancel it again', () => {
      spec.given(history).when(cancelActivity()).thenThrows(IllegalStateError, ruleOf(CampaignRules.activityNotScheduled));
    });
  });

  describe.each([
    ['completed', [...active, scheduled(), completed]],
    ['cancelled', [...plannedNoCost, scheduled(), cancelled]],
  ])('when %s', (_situation, history) => {
    it.each(everyUserCommand().filter(([name]) => name !== 'CreateCampaign'))('refuses %s: closed to changes', (_name, command) => {
      spec.given(history).when(command).thenThrows(IllegalStateError, ruleOf(CampaignRules.closed));
    });

    it('refuses a second creation of the stream', () => {
      spec.given(history).when(create()).thenThrows(IllegalStateError, ruleOf(CampaignRules.createAlreadyExists));
    });
  });

  describe.each([
    ['and withdrawn', [...awaitingFunding, cancelled, fundingWithdrawn()]],
    ['before withdrawals existed', [...awaitingFunding, cancelled]],
  ])('when cancelled while funding was requested, %s', (_situation, history) => {
    it('ignores a late approval', () => {
      spec.given(history).when(approve()).thenNothingHappened();
    });

    it('ignores a late rejection', () => {
      spec.given(history).when(reject()).thenNothingHappened();
    });

    it('refuses the same cancellation again', () => {
      spec.given(history).when(cancel()).thenThrows(IllegalStateError, ruleOf(CampaignRules.closed));
    });
  });
});
