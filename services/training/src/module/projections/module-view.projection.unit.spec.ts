import type { StoredEvent } from '@hrp/contracts';
import type { ProjectionUpdate } from '@hrp/messaging';
import type { TrainingModuleEvent, TrainingModuleEventType } from '../module.events';
import { MODULE_EVENT_TYPES } from '../module.events';
import { moduleViewHandlers } from './module-view.projection';

// ---------- fixtures ----------

type DataOf<T extends TrainingModuleEventType> = Extract<TrainingModuleEvent, { type: T }>['data'];

const MODULE_ID = 'module-5a0e2c9d-3b1f-4e7a-8c6d-2f1e0d9c8b7a';
// An instant in the past: a handler that read the clock instead of the event would not give it.
const CREATED_AT = '2025-02-03T08:15:00.000Z';
const UPR = { kind: 'UPR_RECOMMENDATION', ref: '4-148.12' } as const;
const SDG = { kind: 'SDG_TARGET', ref: '16.10' } as const;

function stored<T extends TrainingModuleEventType>(
  type: T,
  data: DataOf<T>,
  at: { version?: number; position?: number } = {},
): StoredEvent {
  const version = at.version ?? 1;
  return {
    streamId: MODULE_ID,
    streamVersion: version,
    position: at.position ?? 900 + version,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      eventId: `event-${version}`,
      time: CREATED_AT,
      actor: { subject: 'kc-training-coordinator', username: 'training-coordinator' },
      correlationId: 'corr-1',
    },
  };
}

const createdData = (data: Partial<DataOf<'TrainingModuleCreated'>> = {}): DataOf<'TrainingModuleCreated'> => ({
  moduleId: MODULE_ID,
  title: { fr: 'Prévention de la torture' },
  professions: ['LAW_ENFORCEMENT'],
  instruments: ['CAT'],
  hours: 12,
  tags: [UPR, SDG],
  ...data,
});

const project = (event: StoredEvent): ProjectionUpdate | null | undefined =>
  (moduleViewHandlers as Record<string, (e: StoredEvent) => ProjectionUpdate | null | undefined>)[event.type](event);

// ---------- specs ----------

describe('training module view projection', () => {
  it('has a handler for every event type of a module', () => {
    expect(Object.keys(moduleViewHandlers).sort()).toEqual([...MODULE_EVENT_TYPES].sort());
  });

  describe('when a module is created', () => {
    it('lists it in creation order: the position of the event, its bucket and block', () => {
      expect(project(stored('TrainingModuleCreated', createdData(), { position: 4711 }))?.$set).toMatchObject({
        createdPosition: 4711,
        listBucket: 73, // 4711 / 64, rounded down
        listBlock: 1, // 4711 / 4096, rounded down
      });
    });

    it('keys every tag as KIND:ref, for the reverse view of a tag', () => {
      expect(project(stored('TrainingModuleCreated', createdData()))?.$set).toMatchObject({
        tags: [UPR, SDG],
        tagKeys: ['UPR_RECOMMENDATION:4-148.12', 'SDG_TARGET:16.10'],
      });
      expect(project(stored('TrainingModuleCreated', createdData({ tags: [] })))?.$set).toMatchObject({ tagKeys: [] });
    });

    it('stores when it was created, from the event', () => {
      expect(project(stored('TrainingModuleCreated', createdData()))?.$set).toMatchObject({ createdAt: CREATED_AT, updatedAt: CREATED_AT });
    });
  });

  describe('when a module is published or retired', () => {
    it('leaves its tags, keys and creation alone', () => {
      for (const type of ['TrainingModulePublished', 'TrainingModuleRetired'] as const) {
        const set = project(stored(type, { moduleId: MODULE_ID }, { version: 2 }))?.$set ?? {};
        for (const field of ['tags', 'tagKeys', 'createdAt', 'createdPosition']) expect(set).not.toHaveProperty(field);
      }
    });
  });
});
