import { join } from 'node:path';
import {
  EventSchemaViolationError,
  FUNDING_EVENTS,
  fingerprintSchema,
  fundingRequestedSchemaV1,
  fundingRequestedSchemaV2,
  fundingWithdrawnSchemaV1,
} from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import type { CampaignCommand } from './campaign.decider';
import { campaignDecider } from './campaign.decider';
import type { CampaignEvent, CampaignState } from './campaign.events';
import { CAMPAIGN_EVENT_TYPES } from './campaign.events';
import { campaignEventRegistry } from './campaign.registry';

const SNAPSHOT_FILE = join(__dirname, 'campaign.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/campaigns/src/campaign/campaign.registry and commit this file.';

// ---------- a whole life, through decide, to check what it writes ----------

const ID = 'campaign-2d4f6a8c';
const meta = (ids?: string[]): CommandMetadata => ({
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'campaign-manager' },
  correlationId: 'c-1',
  ...(ids ? { ids } : {}),
});

/** Runs the commands in order, returning every event written. */
function run(commands: CampaignCommand[]): CampaignEvent[] {
  let state: CampaignState = campaignDecider.initialState();
  const written: CampaignEvent[] = [];
  for (const command of commands) {
    const events = campaignDecider.decide(command, state);
    state = events.reduce(campaignDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const createFull: CampaignCommand = {
  type: 'CreateCampaign',
  data: {
    campaignId: ID,
    title: { fr: 'Droits des personnes handicapées', ar: 'حقوق الأشخاص في وضعية إعاقة', en: 'Disability rights', zgh: 'ⵉⵣⵔⴼⴰⵏ' },
    objective: { fr: 'Faire connaître la CDPH' },
    themes: ['handicap', 'accessibilité'],
    tags: [
      { kind: 'INSTRUMENT', ref: 'CRPD' },
      { kind: 'UPR_RECOMMENDATION', ref: '144.12' },
    ],
    audiences: ['PERSONS_WITH_DISABILITIES', 'PUBLIC_INSTITUTIONS'],
    channels: ['TV', 'EVENTS'],
    regions: ['MA-01', 'MA-06'],
    startDate: '2025-04-01',
    endDate: '2025-12-31',
    targetReach: 250000,
    partnerIds: ['partner-ngo-1'],
    knownPartners: [{ id: 'partner-ngo-1', status: 'ACTIVE' }],
    budgetLineId: 'line-awareness-2025',
    estimatedCost: { amount: 25_000_000n, currency: 'MAD' },
  },
  metadata: meta(),
};
const on = (campaignId: string) => ({ campaignId });
const decision = (kind: 'APPROVED' | 'REJECTED'): CampaignCommand => ({
  type: 'RecordFundingDecision',
  data:
    kind === 'APPROVED'
      ? {
          ...on(ID),
          decision: 'APPROVED',
          commitmentId: 'commitment-1',
          requestId: 'request-1',
          amount: { amount: '25000000', currency: 'MAD' },
          decidedAt: '2025-03-02T10:00:00Z',
        }
      : {
          ...on(ID),
          decision: 'REJECTED',
          commitmentId: 'commitment-1',
          amount: { amount: '25000000', currency: 'MAD' },
          decidedAt: '2025-03-02T10:00:00Z',
          reason: 'Ligne épuisée',
        },
  metadata: meta(),
});

const wholeLife = (): CampaignEvent[] => [
  ...run([
    createFull,
    { type: 'PlanCampaign', data: on(ID), metadata: meta(['request-1']) },
    decision('APPROVED'),
    { type: 'LaunchCampaign', data: on(ID), metadata: meta() },
    {
      type: 'ScheduleActivity',
      data: { ...on(ID), kind: 'MEDIA_SPOT', date: '2025-05-01', region: 'MA-06', venue: '2M', title: { fr: 'Spot TV' } },
      metadata: meta(['a-1']),
    },
    { type: 'ScheduleActivity', data: { ...on(ID), kind: 'WORKSHOP', date: '2025-05-02', region: 'MA-01' }, metadata: meta(['a-2']) },
    {
      type: 'RecordActivityHeld',
      data: {
        ...on(ID),
        activityId: 'a-1',
        participants: { female: 3, male: 2, undisclosed: 0, withDisability: 1, byAgeGroup: [{ ageGroup: 'AGE_25_34', count: 5 }] },
        mediaReach: 1_200_000,
      },
      metadata: meta(),
    },
    { type: 'CancelActivity', data: { ...on(ID), activityId: 'a-2', reason: 'Grève des transports' }, metadata: meta() },
    { type: 'CompleteCampaign', data: on(ID), metadata: meta() },
  ]),
  ...run([
    createFull,
    { type: 'PlanCampaign', data: on(ID), metadata: meta(['request-1']) },
    { type: 'CancelCampaign', data: { ...on(ID), reason: 'Partenaire retiré' }, metadata: meta() },
  ]),
  ...run([
    createFull,
    { type: 'PlanCampaign', data: on(ID), metadata: meta() },
    decision('REJECTED'),
    { type: 'CancelCampaign', data: { ...on(ID), reason: 'Financement refusé' }, metadata: meta() },
  ]),
];

describe('Campaign event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, at schema version 1 but the shared FundingRequested (v2)', () => {
      expect(campaignEventRegistry.context).toBe('campaigns');
      expect(campaignEventRegistry.types()).toEqual([...CAMPAIGN_EVENT_TYPES]);
      for (const type of CAMPAIGN_EVENT_TYPES) {
        expect({ type, version: campaignEventRegistry.currentVersion(type) }).toEqual({
          type,
          version: type === 'FundingRequested' ? FUNDING_EVENTS.FundingRequested.schemaVersion : 1,
        });
      }
      expect(FUNDING_EVENTS.FundingRequested.schemaVersion).toBe(2);
    });

    it('use the shared integration schemas for FundingRequested (every version) and FundingWithdrawn, so finance reads them as written', () => {
      expect(fingerprintSchema(campaignEventRegistry.schema('FundingRequested'))).toBe(fingerprintSchema(fundingRequestedSchemaV2));
      expect(fingerprintSchema(campaignEventRegistry.schema('FundingRequested', 1))).toBe(fingerprintSchema(fundingRequestedSchemaV1));
      expect(fingerprintSchema(campaignEventRegistry.schema('FundingWithdrawn'))).toBe(fingerprintSchema(fundingWithdrawnSchemaV1));
    });

    it('read a FundingRequested stored as v1 as v2, with its regions unknown (empty)', () => {
      const [, , stored] = run([createFull, { type: 'PlanCampaign', data: on(ID), metadata: meta(['request-1']) }]);
      const { regions: _regions, ...v1 } = stored.data as Record<string, unknown>;
      expect(campaignEventRegistry.issues('FundingRequested', v1, 1)).toEqual([]);

      const read = campaignEventRegistry.upcast({ type: 'FundingRequested', schemaVersion: 1, data: v1 });

      expect(read).toEqual({ type: 'FundingRequested', schemaVersion: 2, data: { ...v1, regions: [] } });
      expect(campaignEventRegistry.issues('FundingRequested', read.data)).toEqual([]);
    });
  });

  describe('when a whole campaign life runs through decide', () => {
    const events = wholeLife();

    it('writes every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(CAMPAIGN_EVENT_TYPES));
    });

    it('writes only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: campaignEventRegistry.issues(event.type, event.data) }).toEqual({
          type: event.type,
          issues: [],
        });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses it with every problem listed', () => {
      const error = (() => {
        try {
          campaignEventRegistry.validate('ActivityHeld', {
            campaignId: ID,
            activityId: 'a-1',
            participants: { female: 1.5, male: 0, undisclosed: 0, withDisability: 0 },
            mediaReach: -1,
          });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(EventSchemaViolationError);
      expect((error as EventSchemaViolationError).issues).toEqual([
        expect.stringContaining('$.participants.female'),
        expect.stringContaining('$.mediaReach'),
      ]);
    });

    it('refuses a campaign id that is not a campaign stream id', () => {
      expect(campaignEventRegistry.issues('CampaignLaunched', { campaignId: 'training-1' })).toHaveLength(1);
    });
  });

  // The schema-change guard of libs/contracts, applied to this context's registry: contracts
  // cannot import a service (Nx boundaries), so the snapshot of campaigns lives next to it.
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [campaignEventRegistry], UPDATE);
    });
  });
});
