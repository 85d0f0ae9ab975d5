import { eventTypeV1 as v1, objectSchema as object } from '@hrp/contracts';
import type { EventTypeDefinition, JsonSchema } from '@hrp/contracts';
import { EventRegistry, humanRightsTagSchema, localizedTextSchema } from '@hrp/contracts';
import { DossierLimits } from './dossier.decider';
import {
  CHANGE_STATUSES,
  DOSSIER_ID_PREFIX,
  DOSSIER_TARGETS,
  ENGAGEMENT_ID_PREFIX,
  ENGAGEMENT_KINDS,
  RECOMMENDATION_ID_PREFIX,
  RECOMMENDATION_SOURCES,
  RECOMMENDATION_STATUSES,
} from './dossier.events';

/*
 * The schemas of a dossier stream's events, every version, with their upcasters (none yet: all
 * are v1). Once wired, the context kit validates what `decide` produced against them before an
 * append and stamps the current version; the event store upcasts what it reads. Their
 * fingerprints are guarded by dossier.registry.unit.spec.ts against dossier.registry.snapshot.json:
 * a published schema never changes in place; a change is a new version with an upcaster.
 *
 * The wiring registers `dossierEventDefinitions` in the context's one `EventRegistry(ADVOCACY_CONTEXT)`;
 * the registry exported here holds the dossier's alone, for its own tests and snapshot.
 */

/** The bounded context's name in registries, CloudEvents types and topics. */
export const ADVOCACY_CONTEXT = 'advocacy';

const prefixed = (prefix: string): JsonSchema => ({ type: 'string', pattern: `^${prefix}[A-Za-z0-9_-]{1,100}$` });
/** As the decider checks them: `dossier-<id>`, `recommendation-<id>`, `engagement-<id>`. */
const dossierId = prefixed(DOSSIER_ID_PREFIX);
const recommendationId = prefixed(RECOMMENDATION_ID_PREFIX);
const engagementId = prefixed(ENGAGEMENT_ID_PREFIX);
const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
const list = (maxItems: number, maxLength: number, minItems = 0): JsonSchema => ({
  type: 'array',
  items: text(maxLength),
  maxItems,
  ...(minItems > 0 ? { minItems } : {}),
});
const date: JsonSchema = { type: 'string', format: 'date' };
const instant: JsonSchema = { type: 'string', format: 'date-time' };
const tags: JsonSchema = { type: 'array', items: humanRightsTagSchema, maxItems: DossierLimits.maxTags };
const outcome = text(DossierLimits.outcomeMaxLength);

/** A document reference and its date. */
export const evidenceSchema: JsonSchema = object({ reference: text(DossierLimits.referenceMaxLength), date });

/** Every event type of a dossier stream, at its current version, in lifecycle order. */
export const dossierEventDefinitions: readonly EventTypeDefinition[] = [
  v1(
    'DossierOpened',
    object(
      {
        dossierId,
        topic: localizedTextSchema(DossierLimits.topicMaxLength),
        target: { type: 'string', enum: DOSSIER_TARGETS },
        instruments: list(DossierLimits.maxInstruments, DossierLimits.instrumentMaxLength),
        themes: list(DossierLimits.maxThemes, DossierLimits.themeMaxLength),
        objective: localizedTextSchema(DossierLimits.objectiveMaxLength),
        tags,
        openedAt: instant,
      },
      ['objective'],
    ),
    'An advocacy dossier was opened, OPEN',
  ),
  v1(
    'RecommendationIssued',
    object({
      dossierId,
      recommendationId,
      text: localizedTextSchema(DossierLimits.recommendationMaxLength),
      addressee: text(DossierLimits.addresseeMaxLength),
      source: { type: 'string', enum: RECOMMENDATION_SOURCES },
      issuedOn: date,
      tags,
      recordedAt: instant,
    }),
    'A recommendation was issued within the dossier, ISSUED',
  ),
  v1(
    'RecommendationStatusChanged',
    object({
      dossierId,
      recommendationId,
      from: { type: 'string', enum: RECOMMENDATION_STATUSES },
      to: { type: 'string', enum: CHANGE_STATUSES },
      evidence: evidenceSchema,
      recordedAt: instant,
    }),
    "A recommendation's status moved forward, on the evidence of a dated document",
  ),
  v1(
    'EngagementLogged',
    object(
      {
        dossierId,
        engagementId,
        kind: { type: 'string', enum: ENGAGEMENT_KINDS },
        date,
        stakeholders: list(DossierLimits.maxStakeholders, DossierLimits.stakeholderMaxLength, 1),
        outcome,
      },
      ['outcome'],
    ),
    'A meeting, hearing or memorandum with institutions was logged',
  ),
  v1('EngagementOutcomeRecorded', object({ dossierId, engagementId, outcome }), "An engagement's outcome was set or replaced"),
  v1('DossierClosed', object({ dossierId, outcome, closedAt: instant }), 'OPEN -> CLOSED, with its outcome'),
];

/** The dossier's event types alone, registered at their current version. */
export const dossierEventRegistry = dossierEventDefinitions.reduce((r, d) => r.register(d), new EventRegistry(ADVOCACY_CONTEXT));
