import type { DisaggregatedCount } from '@hrp/contracts';
import { fold } from '@hrp/domain-kit';
import { campaignDecider } from './campaign.decider';
import type { CampaignEvent, CampaignState } from './campaign.events';
import { campaignParticipants, campaignReach, campaignStreamId, exists, hasCost, isClosed } from './campaign.events';

// ---------- fixtures ----------

const ID = campaignStreamId('8f0e');
const stateOf = (events: CampaignEvent[]): CampaignState => fold(campaignDecider, events);
const created = (estimatedCost?: { amount: string; currency: string }): CampaignEvent => ({
  type: 'CampaignCreated',
  data: {
    campaignId: ID,
    title: { fr: 'Campagne' },
    themes: [],
    tags: [],
    audiences: ['MEDIA'],
    channels: ['RADIO'],
    regions: ['NATIONAL'],
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    targetReach: 1000,
    partnerIds: [],
    ...(estimatedCost ? { budgetLineId: 'line-1', estimatedCost } : {}),
  },
});
const scheduled = (activityId: string): CampaignEvent => ({
  type: 'ActivityScheduled',
  data: { campaignId: ID, activityId, kind: 'CONFERENCE', date: '2025-03-01', region: 'MA-03' },
});
const held = (activityId: string, participants: DisaggregatedCount, mediaReach?: number): CampaignEvent => ({
  type: 'ActivityHeld',
  data: { campaignId: ID, activityId, participants, ...(mediaReach !== undefined ? { mediaReach } : {}) },
});

const running = [
  created(),
  { type: 'CampaignPlanned', data: { campaignId: ID } },
  { type: 'CampaignLaunched', data: { campaignId: ID } },
] as CampaignEvent[];

describe('Campaign state helpers', () => {
  describe('when no activity was held', () => {
    it('counts nobody and no reach', () => {
      const state = stateOf([...running, scheduled('a-1')]);
      expect(campaignParticipants(state)).toEqual({ total: 0, female: 0, male: 0, undisclosed: 0, withDisability: 0 });
      expect(campaignReach(state)).toBe(0);
    });

    it('counts nobody for a stream that does not exist', () => {
      expect(campaignParticipants(campaignDecider.initialState()).total).toBe(0);
      expect(campaignReach(campaignDecider.initialState())).toBe(0);
    });
  });

  describe('when activities were held, cancelled or left scheduled', () => {
    const state = stateOf([
      ...running,
      scheduled('a-1'),
      scheduled('a-2'),
      scheduled('a-3'),
      scheduled('a-4'),
      held('a-1', { female: 10, male: 8, undisclosed: 2, withDisability: 3 }),
      held('a-2', { female: 1, male: 1, undisclosed: 0, withDisability: 0 }, 50_000),
      { type: 'ActivityCancelled', data: { campaignId: ID, activityId: 'a-3', reason: 'Météo' } },
    ]);

    it('sums the participants of held activities only', () => {
      expect(campaignParticipants(state)).toEqual({ total: 22, female: 11, male: 9, undisclosed: 2, withDisability: 3 });
    });

    it('adds the media reach of held activities to the participants', () => {
      expect(campaignReach(state)).toBe(22 + 50_000);
    });
  });

  describe('lifecycle predicates', () => {
    it('tell a new stream from a campaign, and a closed one from an open one', () => {
      expect(exists(campaignDecider.initialState())).toBe(false);
      const active = stateOf(running);
      expect(exists(active) && isClosed(active)).toBe(false);
      const completed = stateOf([...running, { type: 'CampaignCompleted', data: { campaignId: ID } }]);
      expect(exists(completed) && isClosed(completed)).toBe(true);
    });

    it('see a cost only above zero', () => {
      expect(hasCost({})).toBe(false);
      expect(hasCost({ estimatedCost: { amount: '0', currency: 'MAD' } })).toBe(false);
      expect(hasCost({ estimatedCost: { amount: '1', currency: 'MAD' } })).toBe(true);
    });

    it('ignore events on a stream that has no CampaignCreated (a broken history)', () => {
      expect(stateOf([{ type: 'CampaignLaunched', data: { campaignId: ID } }])).toEqual(campaignDecider.initialState());
    });
  });
});
