import type { StoredEvent } from '@hrp/contracts';
import type { ProjectionUpdate } from '@hrp/messaging';
import type { CampaignEvent, CampaignEventType, CampaignState } from '../campaign.events';
import { campaignParticipants, campaignReach, evolve, initialState } from '../campaign.events';
import { campaignEventRegistry } from '../campaign.registry';
import { campaignViewHandlers } from './campaign-view.projection';

// ---------- fixtures ----------

type DataOf<T extends CampaignEventType> = Extract<CampaignEvent, { type: T }>['data'];

const CAMPAIGN_ID = 'campaign-0b7c5e1a-2f4d-4a8e-9c3b-1d2e3f4a5b6c';
const ACTIVITY_ID = 'activity-7d1f';
const OTHER_ACTIVITY_ID = 'activity-a3c9';
// Instants in the past: a handler that read the clock instead of the event would not give them.
const CREATED_AT = '2025-03-01T09:00:00.000Z';
const TIME = '2025-03-02T10:30:00.000Z';
const TITLE = { fr: 'Caravane des droits de l’enfant', ar: 'قافلة حقوق الطفل' };
const COST = { amount: '5000000', currency: 'MAD' };
const PARTICIPANTS = { female: 12, male: 9, undisclosed: 2, withDisability: 3 }; // total 23, not 26

/** A stored campaign event; position and stream version differ on purpose (createdPosition is the former). */
function stored<T extends CampaignEventType>(
  type: T,
  data: DataOf<T>,
  at: { version?: number; position?: number; time?: string } = {},
): StoredEvent<T, DataOf<T>> {
  const version = at.version ?? 1;
  return {
    streamId: CAMPAIGN_ID,
    streamVersion: version,
    position: at.position ?? 4700 + version,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      eventId: `event-${version}`,
      time: at.time ?? TIME,
      actor: { subject: 'kc-campaign-manager', username: 'campaign-manager' },
      correlationId: 'corr-1',
    },
  };
}

const createdData = (data: Partial<DataOf<'CampaignCreated'>> = {}): DataOf<'CampaignCreated'> => ({
  campaignId: CAMPAIGN_ID,
  title: TITLE,
  themes: ['droits de l’enfant'],
  tags: [{ kind: 'INSTRUMENT', ref: 'CRC' }],
  audiences: ['YOUTH', 'CIVIL_SOCIETY'],
  channels: ['EVENTS'],
  regions: ['MA-01', 'MA-04'],
  startDate: '2025-04-01',
  endDate: '2025-06-30',
  targetReach: 5000,
  partnerIds: ['partner-unicef'],
  ...data,
});

const fundingRequestedData: DataOf<'FundingRequested'> = {
  requestId: 'request-41c2',
  sourceType: 'CAMPAIGN',
  sourceId: CAMPAIGN_ID,
  budgetLineId: 'budget-line-2025-07',
  amount: COST,
  purpose: TITLE,
  requestedAt: CREATED_AT,
  regions: ['MA-01', 'MA-04'],
};

const fundingWithdrawnData: DataOf<'FundingWithdrawn'> = {
  requestId: 'request-41c2',
  sourceType: 'CAMPAIGN',
  sourceId: CAMPAIGN_ID,
  budgetLineId: 'budget-line-2025-07',
  reason: 'Partenaire retiré',
  withdrawnAt: TIME,
};

const fundingApprovedData: DataOf<'FundingApproved'> = {
  campaignId: CAMPAIGN_ID,
  commitmentId: 'commitment-9e20',
  requestId: 'request-41c2',
  amount: COST,
  decidedAt: TIME,
};

const fundingRejectedData: DataOf<'FundingRejected'> = {
  campaignId: CAMPAIGN_ID,
  commitmentId: 'commitment-9e20',
  requestId: 'request-41c2',
  amount: COST,
  reason: 'Ligne budgétaire épuisée',
  decidedAt: TIME,
};

const scheduledData = (data: Partial<DataOf<'ActivityScheduled'>> = {}): DataOf<'ActivityScheduled'> => ({
  campaignId: CAMPAIGN_ID,
  activityId: ACTIVITY_ID,
  kind: 'WORKSHOP',
  date: '2025-04-12',
  region: 'MA-01',
  ...data,
});

const heldData = (data: Partial<DataOf<'ActivityHeld'>> = {}): DataOf<'ActivityHeld'> => ({
  campaignId: CAMPAIGN_ID,
  activityId: ACTIVITY_ID,
  participants: PARTICIPANTS,
  ...data,
});

/** One representative event per type: a type missing here fails the "every registered type" test. */
const samples: { [T in CampaignEventType]: DataOf<T> } = {
  CampaignCreated: createdData(),
  CampaignPlanned: { campaignId: CAMPAIGN_ID },
  FundingRequested: fundingRequestedData,
  FundingApproved: fundingApprovedData,
  FundingRejected: fundingRejectedData,
  CampaignLaunched: { campaignId: CAMPAIGN_ID },
  ActivityScheduled: scheduledData(),
  ActivityHeld: heldData({ mediaReach: 1500 }),
  ActivityCancelled: { campaignId: CAMPAIGN_ID, activityId: ACTIVITY_ID, reason: 'Salle indisponible' },
  CampaignCompleted: { campaignId: CAMPAIGN_ID },
  CampaignCancelled: { campaignId: CAMPAIGN_ID, reason: 'Partenaire retiré' },
  FundingWithdrawn: fundingWithdrawnData,
};

/** The update the read model's handler gives for `event`. */
const project = (event: StoredEvent): ProjectionUpdate | null | undefined => {
  const handler = (campaignViewHandlers as Record<string, ((e: StoredEvent) => ProjectionUpdate | null | undefined) | undefined>)[
    event.type
  ];
  if (handler === undefined) throw new Error(`no handler for ${event.type}`);
  return handler(event);
};

// ---------- a tiny Mongo: $set / $inc / $push with dotted paths, on a plain object ----------

type Doc = Record<string, unknown>;

function containerOf(doc: Doc, path: string): [Doc, string] {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node = doc;
  for (const key of keys) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Doc;
  }
  return [node, last];
}

/** Applies `update` to a copy of `doc`, refusing what Mongo (and FerretDB 1.x) would refuse or what this does not model. */
function apply(doc: Doc, update: ProjectionUpdate | null | undefined): Doc {
  const next = structuredClone(doc);
  if (!update) return next;
  const unsupported = Object.keys(update).filter((op) => !['$set', '$inc', '$push'].includes(op));
  if (unsupported.length) throw new Error(`unsupported update operators ${unsupported.join(', ')}`);
  // Mongo rejects an update touching one path twice, or a path and one inside it.
  const paths = Object.values(update).flatMap((fields) => Object.keys(fields as Doc));
  const conflict = paths.find((a, i) => paths.some((b, j) => i !== j && (a === b || b.startsWith(`${a}.`))));
  if (conflict !== undefined) throw new Error(`conflicting update paths at ${conflict}`);

  for (const [path, value] of Object.entries((update.$set ?? {}) as Doc)) {
    const [node, key] = containerOf(next, path);
    node[key] = structuredClone(value);
  }
  for (const [path, by] of Object.entries((update.$inc ?? {}) as Record<string, number>)) {
    const [node, key] = containerOf(next, path);
    const current = node[key] ?? 0;
    if (typeof current !== 'number') throw new Error(`$inc of the non-number ${path}`);
    node[key] = current + by;
  }
  for (const [path, value] of Object.entries((update.$push ?? {}) as Doc)) {
    const [node, key] = containerOf(next, path);
    const current: unknown = node[key] ?? [];
    if (!Array.isArray(current)) throw new Error(`$push to the non-array ${path}`);
    node[key] = [...(current as unknown[]), structuredClone(value)];
  }
  return next;
}

/** Folds events into the read-model document (starting as the projection helper creates it: just the id). */
const view = (events: readonly StoredEvent[]): Doc => events.reduce<Doc>((doc, e) => apply(doc, project(e)), { _id: CAMPAIGN_ID });

/** The same events as the write model folds them. */
const writeState = (events: readonly StoredEvent[]): CampaignState =>
  events.reduce<CampaignState>((state, e) => evolve(state, e as unknown as CampaignEvent), initialState());

/** A history with consecutive stream versions, one hour apart. */
function history(...events: { [T in CampaignEventType]: [T, DataOf<T>] }[CampaignEventType][]): StoredEvent[] {
  return events.map(([type, data], i) =>
    stored(type, data, { version: i + 1, time: new Date(Date.parse(CREATED_AT) + i * 3_600_000).toISOString() }),
  );
}

// ---------- specs ----------

describe('campaign view projection', () => {
  describe('its handler map', () => {
    it('has a handler for every event type of the campaign registry, and for no other type', () => {
      expect(Object.keys(campaignViewHandlers).sort()).toStrictEqual([...campaignEventRegistry.types()].sort());
    });

    it.each(campaignEventRegistry.types())('gives %s an update stamped with the event time', (type) => {
      const data = (samples as Record<string, unknown>)[type];
      expect(data).toBeDefined(); // a newly registered type needs a sample (and expectations) here

      const update = project(stored(type as CampaignEventType, data as never));

      expect(update?.$set).toMatchObject({ updatedAt: TIME });
    });

    it('is pure: the same event always gives the same update and is left unchanged', () => {
      for (const [type, data] of Object.entries(samples)) {
        const event = stored(type as CampaignEventType, structuredClone(data) as never);
        const before = structuredClone(event);

        expect(project(event)).toStrictEqual(project(event));
        expect(event).toStrictEqual(before);
      }
    });
  });

  describe('when a campaign is created', () => {
    it('sets the whole DRAFT document from the event, funding NOT_REQUESTED, no activities and zero counts', () => {
      const event = stored(
        'CampaignCreated',
        createdData({ objective: { fr: 'Sensibiliser' }, budgetLineId: 'budget-line-2025-07', estimatedCost: COST }),
        {
          version: 1,
          position: 4711,
          time: CREATED_AT,
        },
      );

      expect(project(event)).toStrictEqual({
        $set: {
          createdPosition: 4711,
          listBucket: 73, // 4711 / 64, rounded down: the list reads it by equality
          listBlock: 1, // 4711 / 4096, rounded down
          title: TITLE,
          objective: { fr: 'Sensibiliser' },
          searchTerms: expect.arrayContaining(['c', 'car', 'caravane', 'droits', 'enfant', 'قافلة']),
          searchWords: ' caravane des droits de l enfant قافلة حقوق الطفل',
          status: 'DRAFT',
          themes: ['droits de l’enfant'],
          tags: [{ kind: 'INSTRUMENT', ref: 'CRC' }],
          tagKeys: ['INSTRUMENT:CRC'],
          audiences: ['YOUTH', 'CIVIL_SOCIETY'],
          channels: ['EVENTS'],
          regions: ['MA-01', 'MA-04'],
          startDate: '2025-04-01',
          endDate: '2025-06-30',
          targetReach: 5000,
          partnerIds: ['partner-unicef'],
          budgetLineId: 'budget-line-2025-07',
          estimatedCost: COST,
          fundingStatus: 'NOT_REQUESTED',
          activities: {},
          activityOrder: [],
          participants: { total: 0, female: 0, male: 0, undisclosed: 0, withDisability: 0 },
          mediaReach: 0,
          createdAt: CREATED_AT,
          updatedAt: CREATED_AT,
        },
      });
    });

    it('omits objective, budget line and estimated cost when the event has none', () => {
      const set = project(stored('CampaignCreated', createdData()))?.$set;

      expect(set).toBeDefined();
      expect(set).not.toHaveProperty('objective');
      expect(set).not.toHaveProperty('budgetLineId');
      expect(set).not.toHaveProperty('estimatedCost');
    });

    it('keys every tag as KIND:ref, for the reverse view of a tag, and none when the campaign has no tag', () => {
      const tags = [
        { kind: 'UPR_RECOMMENDATION', ref: '4-148.12' },
        { kind: 'SDG_TARGET', ref: '16.10' },
      ] as DataOf<'CampaignCreated'>['tags'];

      expect(project(stored('CampaignCreated', createdData({ tags })))?.$set).toMatchObject({
        tagKeys: ['UPR_RECOMMENDATION:4-148.12', 'SDG_TARGET:16.10'],
      });
      expect(project(stored('CampaignCreated', createdData({ tags: [] })))?.$set).toMatchObject({ tagKeys: [] });
    });

    it('takes createdPosition from the global position of the event, not its stream version', () => {
      const set = project(stored('CampaignCreated', createdData(), { version: 1, position: 98765 }))?.$set;

      expect(set).toMatchObject({ createdPosition: 98765 });
    });

    it('stores the words of the title in every language (fr, ar, en, zgh), lower-cased and without accents, and their prefixes', () => {
      const title = { fr: 'Caravane DES Droits', ar: 'قافلة الحقوق', en: 'Rights CARAVAN', zgh: 'ⵜⴰⵎⵙⵙⵓⴷⵜ ⵏ ⵉⵣⵔⴼⴰⵏ' };

      expect(project(stored('CampaignCreated', createdData({ title })))?.$set).toMatchObject({
        searchWords: ' caravane des droits قافلة الحقوق rights caravan ⵜⴰⵎⵙⵙⵓⴷⵜ ⵏ ⵉⵣⵔⴼⴰⵏ',
        searchTerms: expect.arrayContaining(['ca', 'caravan', 'rig', 'الحقوق', 'ⵜⴰ']),
      });
      expect(project(stored('CampaignCreated', createdData({ title: { fr: 'ÉGALITÉ', en: 'Equality' } })))?.$set).toMatchObject({
        searchWords: ' egalite equality',
      });
    });
  });

  describe('when a campaign is planned', () => {
    it('sets the status to PLANNED', () => {
      expect(project(stored('CampaignPlanned', samples.CampaignPlanned))).toStrictEqual({ $set: { status: 'PLANNED', updatedAt: TIME } });
    });
  });

  describe('when funding is requested', () => {
    it('sets the funding status to REQUESTED', () => {
      expect(project(stored('FundingRequested', fundingRequestedData))).toStrictEqual({
        $set: { fundingStatus: 'REQUESTED', updatedAt: TIME },
      });
    });
  });

  describe('when funding is approved', () => {
    it('sets the funding status to APPROVED', () => {
      expect(project(stored('FundingApproved', fundingApprovedData))).toStrictEqual({
        $set: { fundingStatus: 'APPROVED', updatedAt: TIME },
      });
    });
  });

  describe('when funding is rejected', () => {
    it('sets the funding status to REJECTED with the rejection reason', () => {
      expect(project(stored('FundingRejected', fundingRejectedData))).toStrictEqual({
        $set: { fundingStatus: 'REJECTED', fundingRejectionReason: 'Ligne budgétaire épuisée', updatedAt: TIME },
      });
    });
  });

  describe('when a campaign is launched', () => {
    it('sets the status to ACTIVE', () => {
      expect(project(stored('CampaignLaunched', samples.CampaignLaunched))).toStrictEqual({
        $set: { status: 'ACTIVE', updatedAt: TIME },
      });
    });
  });

  describe('when an activity is scheduled', () => {
    it('adds a SCHEDULED activity to the map under its id and appends the id to the order', () => {
      const title = { fr: 'Atelier droits de l’enfant' };
      const event = stored('ActivityScheduled', scheduledData({ venue: 'Maison des jeunes, Tanger', title }));

      expect(project(event)).toStrictEqual({
        $set: {
          [`activities.${ACTIVITY_ID}`]: {
            id: ACTIVITY_ID,
            kind: 'WORKSHOP',
            date: '2025-04-12',
            region: 'MA-01',
            venue: 'Maison des jeunes, Tanger',
            title,
            status: 'SCHEDULED',
          },
          updatedAt: TIME,
        },
        $push: { activityOrder: ACTIVITY_ID },
      });
    });

    it('omits venue and title when the event has none', () => {
      const update = project(stored('ActivityScheduled', scheduledData({ activityId: OTHER_ACTIVITY_ID, kind: 'WEBINAR' })));

      expect(update?.$set).toStrictEqual({
        [`activities.${OTHER_ACTIVITY_ID}`]: {
          id: OTHER_ACTIVITY_ID,
          kind: 'WEBINAR',
          date: '2025-04-12',
          region: 'MA-01',
          status: 'SCHEDULED',
        },
        updatedAt: TIME,
      });
    });
  });

  describe('when an activity is held', () => {
    it('marks it HELD with its participants and media reach, and adds both to the campaign totals', () => {
      expect(project(stored('ActivityHeld', heldData({ mediaReach: 1500 })))).toStrictEqual({
        $set: {
          [`activities.${ACTIVITY_ID}.status`]: 'HELD',
          [`activities.${ACTIVITY_ID}.participants`]: { total: 23, female: 12, male: 9, undisclosed: 2, withDisability: 3 },
          [`activities.${ACTIVITY_ID}.mediaReach`]: 1500,
          updatedAt: TIME,
        },
        $inc: {
          'participants.total': 23,
          'participants.female': 12,
          'participants.male': 9,
          'participants.undisclosed': 2,
          'participants.withDisability': 3,
          mediaReach: 1500,
        },
      });
    });

    it('counts the total as female + male + undisclosed (persons with disabilities are among them)', () => {
      const participants = { female: 0, male: 4, undisclosed: 1, withDisability: 4 };
      const update = project(stored('ActivityHeld', heldData({ participants })));

      expect(update?.$set).toMatchObject({ [`activities.${ACTIVITY_ID}.participants`]: { ...participants, total: 5 } });
      expect(update?.$inc).toMatchObject({ 'participants.total': 5, 'participants.withDisability': 4 });
    });

    it('sets no media reach on the activity and adds zero to the campaign when none is reported', () => {
      const update = project(stored('ActivityHeld', heldData()));

      expect(update?.$set).not.toHaveProperty([`activities.${ACTIVITY_ID}.mediaReach`]);
      expect(update?.$inc).toMatchObject({ mediaReach: 0 });
    });
  });

  describe('when an activity is cancelled', () => {
    it('marks it CANCELLED with the reason, leaving the totals alone', () => {
      expect(project(stored('ActivityCancelled', samples.ActivityCancelled))).toStrictEqual({
        $set: {
          [`activities.${ACTIVITY_ID}.status`]: 'CANCELLED',
          [`activities.${ACTIVITY_ID}.cancellationReason`]: 'Salle indisponible',
          updatedAt: TIME,
        },
      });
    });
  });

  describe('when a campaign is completed', () => {
    it('sets the status to COMPLETED', () => {
      expect(project(stored('CampaignCompleted', samples.CampaignCompleted))).toStrictEqual({
        $set: { status: 'COMPLETED', updatedAt: TIME },
      });
    });
  });

  describe('when a campaign is cancelled', () => {
    it('sets the status to CANCELLED with the reason', () => {
      expect(project(stored('CampaignCancelled', samples.CampaignCancelled))).toStrictEqual({
        $set: { status: 'CANCELLED', cancellationReason: 'Partenaire retiré', updatedAt: TIME },
      });
    });
  });

  describe('when the funding request is withdrawn', () => {
    it('marks the funding withdrawn, leaving its status as it was', () => {
      expect(project(stored('FundingWithdrawn', fundingWithdrawnData))).toStrictEqual({
        $set: { fundingWithdrawn: true, updatedAt: TIME },
      });
    });
  });

  describe('when a whole history is applied', () => {
    const completed = history(
      ['CampaignCreated', createdData({ budgetLineId: 'budget-line-2025-07', estimatedCost: COST })],
      ['CampaignPlanned', { campaignId: CAMPAIGN_ID }],
      ['FundingRequested', fundingRequestedData],
      ['FundingApproved', fundingApprovedData],
      ['CampaignLaunched', { campaignId: CAMPAIGN_ID }],
      ['ActivityScheduled', scheduledData({ venue: 'Maison des jeunes, Tanger' })],
      ['ActivityScheduled', scheduledData({ activityId: OTHER_ACTIVITY_ID, kind: 'CONFERENCE', date: '2025-05-03', region: 'MA-04' })],
      ['ActivityHeld', heldData({ mediaReach: 1500 })],
      ['ActivityCancelled', { campaignId: CAMPAIGN_ID, activityId: OTHER_ACTIVITY_ID, reason: 'Salle indisponible' }],
      ['CampaignCompleted', { campaignId: CAMPAIGN_ID }],
    );

    it('gives a COMPLETED campaign with its held and cancelled activities and the totals of the held one', () => {
      const doc = view(completed);

      expect(doc).toMatchObject({
        status: 'COMPLETED',
        fundingStatus: 'APPROVED',
        createdPosition: completed[0]?.position,
        createdAt: '2025-03-01T09:00:00.000Z',
        updatedAt: '2025-03-01T18:00:00.000Z',
        participants: { total: 23, female: 12, male: 9, undisclosed: 2, withDisability: 3 },
        mediaReach: 1500,
        activityOrder: [ACTIVITY_ID, OTHER_ACTIVITY_ID],
      });
      expect(doc.activities).toStrictEqual({
        [ACTIVITY_ID]: {
          id: ACTIVITY_ID,
          kind: 'WORKSHOP',
          date: '2025-04-12',
          region: 'MA-01',
          venue: 'Maison des jeunes, Tanger',
          status: 'HELD',
          participants: { total: 23, female: 12, male: 9, undisclosed: 2, withDisability: 3 },
          mediaReach: 1500,
        },
        [OTHER_ACTIVITY_ID]: {
          id: OTHER_ACTIVITY_ID,
          kind: 'CONFERENCE',
          date: '2025-05-03',
          region: 'MA-04',
          status: 'CANCELLED',
          cancellationReason: 'Salle indisponible',
        },
      });
      expect(doc).not.toHaveProperty('fundingRejectionReason');
      expect(doc).not.toHaveProperty('cancellationReason');
      expect(doc).not.toHaveProperty('fundingWithdrawn');
    });

    it('agrees with the write model on participants and reach', () => {
      const doc = view(completed);
      const state = writeState(completed);

      expect(doc.participants).toStrictEqual(campaignParticipants(state));
      expect((doc.participants as { total: number }).total + (doc.mediaReach as number)).toBe(campaignReach(state));
    });

    it('adds up the participants and media reach of several held activities', () => {
      const events = history(
        ['CampaignCreated', createdData()],
        ['CampaignPlanned', { campaignId: CAMPAIGN_ID }],
        ['CampaignLaunched', { campaignId: CAMPAIGN_ID }],
        ['ActivityScheduled', scheduledData()],
        ['ActivityScheduled', scheduledData({ activityId: OTHER_ACTIVITY_ID })],
        ['ActivityHeld', heldData({ mediaReach: 1500 })],
        [
          'ActivityHeld',
          heldData({ activityId: OTHER_ACTIVITY_ID, participants: { female: 30, male: 25, undisclosed: 0, withDisability: 1 } }),
        ],
      );
      const doc = view(events);

      expect(doc).toMatchObject({
        status: 'ACTIVE',
        participants: { total: 78, female: 42, male: 34, undisclosed: 2, withDisability: 4 },
        mediaReach: 1500,
      });
      expect(doc).not.toHaveProperty(['activities', OTHER_ACTIVITY_ID, 'mediaReach']);
      expect(doc.participants).toStrictEqual(campaignParticipants(writeState(events)));
      expect((doc.participants as { total: number }).total + (doc.mediaReach as number)).toBe(campaignReach(writeState(events)));
    });

    it('gives a CANCELLED campaign with the funding rejection and cancellation reasons and nothing counted', () => {
      const events = history(
        ['CampaignCreated', createdData({ budgetLineId: 'budget-line-2025-07', estimatedCost: COST })],
        ['CampaignPlanned', { campaignId: CAMPAIGN_ID }],
        ['FundingRequested', fundingRequestedData],
        ['FundingRejected', fundingRejectedData],
        ['CampaignCancelled', { campaignId: CAMPAIGN_ID, reason: 'Financement refusé' }],
      );
      const doc = view(events);

      expect(doc).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'Financement refusé',
        fundingStatus: 'REJECTED',
        fundingRejectionReason: 'Ligne budgétaire épuisée',
        activityOrder: [],
        participants: { total: 0, female: 0, male: 0, undisclosed: 0, withDisability: 0 },
        mediaReach: 0,
        updatedAt: '2025-03-01T13:00:00.000Z',
      });
      expect(doc.activities).toStrictEqual({});
      expect(doc).not.toHaveProperty('fundingWithdrawn');
    });

    it('gives a CANCELLED campaign whose approved funding was withdrawn, still APPROVED', () => {
      const events = history(
        ['CampaignCreated', createdData({ budgetLineId: 'budget-line-2025-07', estimatedCost: COST })],
        ['CampaignPlanned', { campaignId: CAMPAIGN_ID }],
        ['FundingRequested', fundingRequestedData],
        ['FundingApproved', fundingApprovedData],
        ['CampaignCancelled', { campaignId: CAMPAIGN_ID, reason: 'Partenaire retiré' }],
        ['FundingWithdrawn', fundingWithdrawnData],
      );

      expect(view(events)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'Partenaire retiré',
        fundingStatus: 'APPROVED',
        fundingWithdrawn: true,
        updatedAt: '2025-03-01T14:00:00.000Z',
      });
      expect(writeState(events)).toMatchObject({ status: 'CANCELLED', funding: { status: 'APPROVED', withdrawn: true } });
    });
  });
});
