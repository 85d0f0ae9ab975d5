import { join } from 'node:path';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import type { ImportUprRecommendation } from './upr.decider';
import { uprDecider } from './upr.decider';
import type { UprEvent, UprState } from './upr.events';
import { UPR_EVENT_TYPES } from './upr.events';
import { ADVOCACY_CONTEXT, uprEventDefinitions, uprEventRegistry } from './upr.registry';

const SNAPSHOT_FILE = join(__dirname, 'upr.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/advocacy/src/upr/upr.registry and commit this file.';

// ---------- a whole life, through decide, to check what it writes ----------

const meta = (): CommandMetadata => ({
  now: '2023-03-30T10:00:00.000Z',
  actor: { subject: 'kc-1', username: 'advocacy-officer' },
  correlationId: 'c-1',
});
const row: ImportUprRecommendation['data'] = {
  uprId: 'upr-4-148_12',
  cycle: 4,
  session: 41,
  paragraph: '148.12',
  text: 'Ratify the Optional Protocol to the Convention against Torture',
  recommendingState: 'Denmark',
  response: 'NOTED',
  themes: ['Torture and other CID treatment', 'International instruments'],
};

function run(imports: Array<Partial<ImportUprRecommendation['data']>>): UprEvent[] {
  let state: UprState = uprDecider.initialState();
  const written: UprEvent[] = [];
  for (const data of imports) {
    const events = uprDecider.decide({ type: 'ImportUprRecommendation', data: { ...row, ...data }, metadata: meta() }, state);
    state = events.reduce(uprDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const wholeLife = (): UprEvent[] => run([{ sourceLine: 2 }, {}, { response: 'SUPPORTED', sourceLine: 3 }, { themes: [] }]);

describe('UPR recommendation event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, each at schema version 1, in the advocacy context', () => {
      expect(ADVOCACY_CONTEXT).toBe('advocacy');
      expect(uprEventRegistry.context).toBe('advocacy');
      expect(uprEventRegistry.types()).toEqual([...UPR_EVENT_TYPES]);
      expect(uprEventDefinitions.map((d) => d.type)).toEqual([...UPR_EVENT_TYPES]);
      for (const type of UPR_EVENT_TYPES) expect(uprEventRegistry.currentVersion(type)).toBe(1);
    });
  });

  describe('when a whole recommendation life runs through decide', () => {
    const events = wholeLife();

    it('writes every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(UPR_EVENT_TYPES));
      expect(events).toHaveLength(3);
    });

    it('writes only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: uprEventRegistry.issues(event.type, event.data) }).toEqual({ type: event.type, issues: [] });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses an unknown response, an unsafe stream id, a ref without its cycle and a paragraph with a leading zero', () => {
      const [imported] = wholeLife();
      expect(uprEventRegistry.issues('UprRecommendationImported', { ...imported.data, response: 'ACCEPTED' })).toHaveLength(1);
      expect(uprEventRegistry.issues('UprRecommendationImported', { ...imported.data, uprId: 'upr-4-148.12' })).toHaveLength(1);
      expect(uprEventRegistry.issues('UprRecommendationRevised', { uprId: 'upr-4-148_12', ref: '148.12' })).toHaveLength(1);
      expect(uprEventRegistry.issues('UprRecommendationImported', { ...imported.data, paragraph: '148.012' })).toHaveLength(1);
    });
  });

  // The schema-change guard of libs/contracts, applied to this aggregate's event schemas.
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [uprEventRegistry], UPDATE);
    });
  });
});
