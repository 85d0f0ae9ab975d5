import { eventTypeV1 as v1, objectSchema as object } from '@hrp/contracts';
import type { EventTypeDefinition, JsonSchema } from '@hrp/contracts';
import { EventRegistry, humanRightsTagSchema, localizedTextSchema } from '@hrp/contracts';
import { ModuleLimits } from './module.decider';
import { MODULE_ID_PREFIX, PROFESSIONS } from './module.events';

/*
 * The schemas of a training module stream's events, every version, with their upcasters (none
 * yet: all are v1). Once wired, the context kit validates what `decide` produced against them
 * before an append and stamps the current version; the event store upcasts what it reads. Their
 * fingerprints are guarded by module.registry.unit.spec.ts against module.registry.snapshot.json:
 * a published schema never changes in place; a change is a new version with an upcaster.
 *
 * Training has one registry per context: the wiring registers `moduleEventDefinitions` and
 * `sessionEventDefinitions` (session.registry.ts) in one `EventRegistry(TRAINING_CONTEXT)`; the
 * registry exported here holds the module's alone, for its own tests and snapshot.
 *
 * Framework-free: @hrp/contracts and this aggregate's domain constants only.
 */

/** The bounded context's name in registries, CloudEvents types and topics. */
export const TRAINING_CONTEXT = 'training';

/** As the decider checks it: `module-<id>`. */
export const moduleIdSchema: JsonSchema = { type: 'string', pattern: `^${MODULE_ID_PREFIX}[A-Za-z0-9_-]{1,100}$` };
const moduleId = moduleIdSchema;

/** Every event type of a training module stream, at its current version, in lifecycle order. */
export const moduleEventDefinitions: readonly EventTypeDefinition[] = [
  v1(
    'TrainingModuleCreated',
    object(
      {
        moduleId,
        title: localizedTextSchema(ModuleLimits.titleMaxLength),
        professions: { type: 'array', items: { type: 'string', enum: PROFESSIONS }, minItems: 1, maxItems: PROFESSIONS.length },
        instruments: {
          type: 'array',
          items: { type: 'string', minLength: 1, maxLength: ModuleLimits.instrumentMaxLength },
          maxItems: ModuleLimits.maxInstruments,
        },
        objectives: localizedTextSchema(ModuleLimits.objectivesMaxLength),
        hours: { type: 'integer', minimum: ModuleLimits.minHours, maximum: ModuleLimits.maxHours },
        tags: { type: 'array', items: humanRightsTagSchema, maxItems: ModuleLimits.maxTags },
      },
      ['objectives'],
    ),
    'A training module was created in DRAFT',
  ),
  v1('TrainingModulePublished', object({ moduleId }), 'DRAFT -> PUBLISHED: sessions may be scheduled from it'),
  v1('TrainingModuleRetired', object({ moduleId }), 'PUBLISHED -> RETIRED: no new session is scheduled from it'),
];

/** The module's event types alone, registered at their current version. */
export const moduleEventRegistry = moduleEventDefinitions.reduce((r, d) => r.register(d), new EventRegistry(TRAINING_CONTEXT));
