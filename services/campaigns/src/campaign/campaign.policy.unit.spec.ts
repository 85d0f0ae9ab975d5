import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import { fold } from '@hrp/domain-kit';
import type { RecordFundingDecision, UserCampaignCommand } from './campaign.decider';
import { campaignDecider } from './campaign.decider';
import type { CampaignEvent, CampaignState } from './campaign.events';
import type { CampaignPrincipal } from './campaign.policy';
import { authorize } from './campaign.policy';

// ---------- fixtures ----------

const CAMPAIGN_ID = 'campaign-5a1e';
const ACTIVITY_ID = 'activity-1';
const metadata: CommandMetadata = {
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'someone' },
  correlationId: 'c-1',
};

/** The 12 development users of the Keycloak realm (infra/keycloak/realm-hrp.json). */
const USERS: Record<string, CampaignPrincipal> = DEV_PRINCIPALS;

const campaignIn = (regions: string[], activityRegion = regions[0]): CampaignEvent[] => [
  {
    type: 'CampaignCreated',
    data: {
      campaignId: CAMPAIGN_ID,
      title: { fr: 'Campagne' },
      themes: [],
      tags: [],
      audiences: ['YOUTH'],
      channels: ['RADIO'],
      regions: regions as never,
      startDate: '2025-04-01',
      endDate: '2025-06-30',
      targetReach: 100,
      partnerIds: [],
    },
  },
  { type: 'CampaignPlanned', data: { campaignId: CAMPAIGN_ID } },
  {
    type: 'ActivityScheduled',
    data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, kind: 'SEMINAR', date: '2025-04-10', region: activityRegion as never },
  },
];
const stateOf = (events: CampaignEvent[]): CampaignState => fold(campaignDecider, events);

/** The commands of the table, all about a campaign of MA-01 whose activity is in MA-01. */
const COMMANDS: Record<string, UserCampaignCommand> = {
  CreateCampaign: {
    type: 'CreateCampaign',
    data: {
      campaignId: CAMPAIGN_ID,
      title: { fr: 'Campagne' },
      themes: [],
      audiences: [],
      channels: [],
      regions: ['MA-01'],
      startDate: '2025-04-01',
      endDate: '2025-06-30',
      targetReach: 0,
      knownPartners: [],
    },
    metadata,
  },
  PlanCampaign: { type: 'PlanCampaign', data: { campaignId: CAMPAIGN_ID }, metadata },
  LaunchCampaign: { type: 'LaunchCampaign', data: { campaignId: CAMPAIGN_ID }, metadata },
  ScheduleActivity: {
    type: 'ScheduleActivity',
    data: { campaignId: CAMPAIGN_ID, kind: 'WORKSHOP', date: '2025-04-20', region: 'MA-01' },
    metadata: { ...metadata, ids: ['activity-2'] },
  },
  RecordActivityHeld: {
    type: 'RecordActivityHeld',
    data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, participants: { female: 1, male: 1, undisclosed: 0, withDisability: 0 } },
    metadata,
  },
  CancelActivity: { type: 'CancelActivity', data: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, reason: 'Pluie' }, metadata },
  CompleteCampaign: { type: 'CompleteCampaign', data: { campaignId: CAMPAIGN_ID }, metadata },
  CancelCampaign: { type: 'CancelCampaign', data: { campaignId: CAMPAIGN_ID, reason: 'Annulée' }, metadata },
};
const COMMAND_NAMES = Object.keys(COMMANDS);

/**
 * Who may do what (Y) on an MA-01 campaign, one column per command in the order of COMMANDS:
 * Create Plan Launch Schedule RecordHeld CancelActivity Complete Cancel.
 */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '--------',
  director: 'YYYYYYYY',
  'campaign-manager': 'YYYYYYYY',
  'training-coordinator': '--------',
  'partnership-officer': '--------',
  'advocacy-officer': '--------',
  'finance-officer': '--------',
  'me-officer': '--------',
  'regional-officer': 'YYYYYYYY',
  'regional-officer-ma06': '--------',
  auditor: '--------',
  viewer: '--------',
};

const table: Array<[string, string, boolean]> = Object.entries(MATRIX).flatMap(([user, row]) =>
  COMMAND_NAMES.map((command, i) => [user, command, row[i] === 'Y'] as [string, string, boolean]),
);

describe('Campaign policy', () => {
  describe('on a campaign of MA-01 with an activity in MA-01', () => {
    const state = stateOf(campaignIn(['MA-01']));

    it('has a row for every development user and a column for every user command', () => {
      expect(Object.keys(MATRIX)).toHaveLength(12);
      expect(Object.values(MATRIX).every((row) => row.length === COMMAND_NAMES.length)).toBe(true);
    });

    it.each(table)('%s running %s: allowed = %s', (user, command, allowed) => {
      const decision = authorize(USERS[user], COMMANDS[command], command === 'CreateCampaign' ? undefined : state);
      expect(decision.ok).toBe(allowed);
      if (!decision.ok) expect(decision.reason).toEqual(expect.any(String));
    });
  });

  describe('for a regional officer', () => {
    const ma01 = USERS['regional-officer'];
    const ma06 = USERS['regional-officer-ma06'];

    it('without a region attribute, refuses everything', () => {
      const noRegion: CampaignPrincipal = { roles: ['regional-officer'] };
      const state = stateOf(campaignIn(['MA-01']));
      for (const command of Object.values(COMMANDS)) {
        const decision = authorize(noRegion, command, state);
        expect(decision).toEqual({ ok: false, reason: expect.stringMatching(/region attribute/) });
      }
    });

    it('refuses to create a campaign that reaches beyond its region', () => {
      const create = (regions: string[]) =>
        ({ ...COMMANDS.CreateCampaign, data: { ...COMMANDS.CreateCampaign.data, regions } }) as UserCampaignCommand;
      expect(authorize(ma01, create(['MA-01', 'MA-06'])).ok).toBe(false);
      expect(authorize(ma01, create(['NATIONAL'])).ok).toBe(false);
      expect(authorize(ma06, create(['MA-06'])).ok).toBe(true);
    });

    it.each(['PlanCampaign', 'LaunchCampaign', 'CompleteCampaign', 'CancelCampaign'])(
      'refuses %s on a campaign that also covers another region',
      (command) => {
        const state = stateOf(campaignIn(['MA-01', 'MA-06']));
        expect(authorize(ma01, COMMANDS[command], state).ok).toBe(false);
        expect(authorize(ma06, COMMANDS[command], state).ok).toBe(false);
      },
    );

    it.each(['PlanCampaign', 'LaunchCampaign', 'CompleteCampaign', 'CancelCampaign'])(
      'refuses %s on a national campaign unless its region is NATIONAL',
      (command) => {
        const state = stateOf(campaignIn(['NATIONAL']));
        expect(authorize(ma01, COMMANDS[command], state).ok).toBe(false);
        expect(authorize({ roles: ['regional-officer'], region: 'NATIONAL' }, COMMANDS[command], state).ok).toBe(true);
      },
    );

    it('schedules, records and cancels activities of its region in a national campaign', () => {
      const state = stateOf(campaignIn(['NATIONAL'], 'MA-06'));
      const inMa06 = { ...COMMANDS.ScheduleActivity, data: { ...COMMANDS.ScheduleActivity.data, region: 'MA-06' } } as UserCampaignCommand;
      expect(authorize(ma06, inMa06, state).ok).toBe(true);
      expect(authorize(ma06, COMMANDS.RecordActivityHeld, state).ok).toBe(true);
      expect(authorize(ma06, COMMANDS.CancelActivity, state).ok).toBe(true);
      expect(authorize(ma01, inMa06, state).ok).toBe(false);
      expect(authorize(ma01, COMMANDS.RecordActivityHeld, state).ok).toBe(false);
      expect(authorize(ma01, COMMANDS.CancelActivity, state).ok).toBe(false);
    });

    it('leaves an unknown campaign or activity to the decider (NOT_FOUND rather than FORBIDDEN)', () => {
      expect(authorize(ma06, COMMANDS.PlanCampaign, undefined).ok).toBe(true);
      expect(authorize(ma06, COMMANDS.PlanCampaign, campaignDecider.initialState()).ok).toBe(true);
      const unknownActivity = {
        ...COMMANDS.CancelActivity,
        data: { ...COMMANDS.CancelActivity.data, activityId: 'nope' },
      } as UserCampaignCommand;
      expect(authorize(ma06, unknownActivity, stateOf(campaignIn(['MA-01']))).ok).toBe(true);
    });
  });

  describe('for a user with several roles', () => {
    it('grants what the strongest role grants', () => {
      const state = stateOf(campaignIn(['MA-06']));
      expect(authorize({ roles: ['viewer', 'campaign-manager'] }, COMMANDS.LaunchCampaign, state).ok).toBe(true);
      expect(authorize({ roles: ['auditor', 'regional-officer'], region: 'MA-06' }, COMMANDS.LaunchCampaign, state).ok).toBe(true);
    });
  });

  describe('for the system command RecordFundingDecision', () => {
    const decision: RecordFundingDecision = {
      type: 'RecordFundingDecision',
      data: {
        campaignId: CAMPAIGN_ID,
        decision: 'APPROVED',
        commitmentId: 'commitment-1',
        amount: { amount: '100', currency: 'MAD' },
        decidedAt: '2025-03-05T10:00:00.000Z',
      },
      metadata,
    };

    it.each(Object.keys(USERS))('refuses it to %s: only the finance consumer runs it, without the policy', (user) => {
      const result = authorize(USERS[user], decision as unknown as UserCampaignCommand, stateOf(campaignIn(['MA-01'])));
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(/system command/) });
    });
  });
});
