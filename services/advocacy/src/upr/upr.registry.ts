import { eventTypeV1 as v1, objectSchema as object } from '@hrp/contracts';
import type { EventTypeDefinition, JsonSchema } from '@hrp/contracts';
import { EventRegistry, UPR_RESPONSES } from '@hrp/contracts';
import { UprLimits } from './upr.decider';
import { UPR_ID_PATTERN, UPR_PARAGRAPH_PATTERN, UPR_REF_PATTERN } from './upr.events';

/*
 * The schemas of a UPR recommendation stream's events, every version, with their upcasters (none
 * yet: all are v1). Once wired, the context kit validates what `decide` produced against them before
 * an append; the event store upcasts what it reads. Their fingerprints are guarded by
 * upr.registry.unit.spec.ts against upr.registry.snapshot.json: a published schema never changes in
 * place; a change is a new version with an upcaster.
 *
 * Advocacy has one registry per context: the wiring registers `uprEventDefinitions` with the
 * dossiers' in one `EventRegistry(ADVOCACY_CONTEXT)`; the registry exported here holds the UPR
 * recommendations' alone, for its own tests and snapshot.
 */

/** The bounded context's name in registries, CloudEvents types and topics. */
export const ADVOCACY_CONTEXT = 'advocacy';

const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
const uprId: JsonSchema = { type: 'string', pattern: UPR_ID_PATTERN };
const ref: JsonSchema = { type: 'string', pattern: UPR_REF_PATTERN };
const cycle: JsonSchema = { type: 'integer', minimum: 1, maximum: UprLimits.maxCycle };
const session: JsonSchema = { type: 'integer', minimum: 1, maximum: UprLimits.maxSession };
const paragraph: JsonSchema = { type: 'string', pattern: UPR_PARAGRAPH_PATTERN };
const response: JsonSchema = { type: 'string', enum: UPR_RESPONSES };
const themes: JsonSchema = { type: 'array', items: text(UprLimits.themeMaxLength), maxItems: UprLimits.maxThemes };
const sourceLine: JsonSchema = { type: 'integer', minimum: 1, maximum: UprLimits.maxSourceLine };
const content = {
  session,
  text: text(UprLimits.textMaxLength),
  recommendingState: text(UprLimits.recommendingStateMaxLength),
  response,
  themes,
};

/** Every event type of a UPR recommendation stream, at its current version, in lifecycle order. */
export const uprEventDefinitions: readonly EventTypeDefinition[] = [
  v1(
    'UprRecommendationImported',
    object({ uprId, ref, cycle, paragraph, ...content, sourceLine }, ['sourceLine']),
    'A UPR recommendation received by the State was imported (tag ref `<cycle>-<paragraph>`)',
  ),
  v1(
    'UprRecommendationRevised',
    object({ uprId, ref, ...content, sourceLine }, [...Object.keys(content), 'sourceLine']),
    "A re-import changed the recommendation's session, text, recommending State, response or themes (the changed fields only)",
  ),
];

/** The UPR recommendation's event types alone, registered at their current version. */
export const uprEventRegistry = uprEventDefinitions.reduce((r, d) => r.register(d), new EventRegistry(ADVOCACY_CONTEXT));
