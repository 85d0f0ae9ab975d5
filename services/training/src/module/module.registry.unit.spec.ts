import { join } from 'node:path';
import { EventSchemaViolationError } from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import type { TrainingModuleCommand } from './module.decider';
import { trainingModuleDecider } from './module.decider';
import type { TrainingModuleEvent, TrainingModuleState } from './module.events';
import { MODULE_EVENT_TYPES } from './module.events';
import { TRAINING_CONTEXT, moduleEventDefinitions, moduleEventRegistry } from './module.registry';

const SNAPSHOT_FILE = join(__dirname, 'module.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/training/src/module/module.registry and commit this file.';

// ---------- a whole life, through decide, to check what it writes ----------

const ID = 'module-3e8a';
const meta = (): CommandMetadata => ({
  now: '2025-02-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'training-coordinator' },
  correlationId: 'c-1',
});

/** Runs the commands in order, returning every event written. */
function run(commands: TrainingModuleCommand[]): TrainingModuleEvent[] {
  let state: TrainingModuleState = trainingModuleDecider.initialState();
  const written: TrainingModuleEvent[] = [];
  for (const command of commands) {
    const events = trainingModuleDecider.decide(command, state);
    state = events.reduce(trainingModuleDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const wholeLife = (): TrainingModuleEvent[] =>
  run([
    {
      type: 'CreateTrainingModule',
      data: {
        moduleId: ID,
        title: { fr: 'Prévention de la torture', ar: 'الوقاية من التعذيب', en: 'Torture prevention', zgh: 'ⴰⵙⴳⴷⴻⵍ' },
        professions: ['LAW_ENFORCEMENT', 'JUDICIARY', 'HEALTH_PROFESSIONAL'],
        instruments: ['CAT', 'ICCPR', 'Constitution 2011'],
        objectives: { fr: 'Connaître le protocole d’Istanbul' },
        hours: 24,
        tags: [{ kind: 'INSTRUMENT', ref: 'CAT' }],
      },
      metadata: meta(),
    },
    { type: 'PublishTrainingModule', data: { moduleId: ID }, metadata: meta() },
    { type: 'RetireTrainingModule', data: { moduleId: ID }, metadata: meta() },
  ]);

describe('Training module event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, each at schema version 1, in the training context', () => {
      expect(TRAINING_CONTEXT).toBe('training');
      expect(moduleEventRegistry.context).toBe('training');
      expect(moduleEventRegistry.types()).toEqual([...MODULE_EVENT_TYPES]);
      expect(moduleEventDefinitions.map((d) => d.type)).toEqual([...MODULE_EVENT_TYPES]);
      for (const type of MODULE_EVENT_TYPES) expect(moduleEventRegistry.currentVersion(type)).toBe(1);
    });
  });

  describe('when a whole module life runs through decide', () => {
    const events = wholeLife();

    it('writes every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(MODULE_EVENT_TYPES));
    });

    it('writes only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: moduleEventRegistry.issues(event.type, event.data) }).toEqual({ type: event.type, issues: [] });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses it with every problem listed', () => {
      const [createdEvent] = wholeLife();
      const error = (() => {
        try {
          moduleEventRegistry.validate('TrainingModuleCreated', { ...createdEvent.data, professions: [], hours: 0 });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(EventSchemaViolationError);
      expect((error as EventSchemaViolationError).issues).toEqual([
        expect.stringContaining('$.professions'),
        expect.stringContaining('$.hours'),
      ]);
    });

    it('refuses a module id that is not a module stream id', () => {
      expect(moduleEventRegistry.issues('TrainingModulePublished', { moduleId: 'session-1' })).toHaveLength(1);
    });
  });

  // The schema-change guard of libs/contracts, applied to this aggregate's event schemas.
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [moduleEventRegistry], UPDATE);
    });
  });
});
