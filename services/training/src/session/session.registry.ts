import { eventTypeV1 as v1, objectSchema as object } from '@hrp/contracts';
import type { EventTypeDefinition, JsonSchema } from '@hrp/contracts';
import {
  AGE_GROUPS,
  EventRegistry,
  SEXES,
  fundingRequestedDefinition,
  fundingWithdrawnDefinition,
  localizedTextSchema,
  moneyAmountSchema,
  regionSchema,
} from '@hrp/contracts';
import { PROFESSIONS } from '../module/module.events';
import { TRAINING_CONTEXT, moduleIdSchema } from '../module/module.registry';
import { SessionLimits } from './session.decider';
import { ASSESSMENT_PHASES, SESSION_ID_PREFIX } from './session.events';

/*
 * The schemas of a training session stream's events, every version, with their upcasters (the
 * shared FundingRequested is at v2, with its upcaster from v1; the others are v1). Once wired, the
 * context kit validates what `decide` produced against them before an append and stamps the
 * current version; the event store upcasts what it reads. Their fingerprints are guarded by
 * session.registry.unit.spec.ts against session.registry.snapshot.json: a published schema never
 * changes in place; a change is a new version with an upcaster.
 *
 * FundingRequested and FundingWithdrawn are libs/contracts' own definitions, so that finance reads
 * what a session writes with the same schemas. ParticipantEnrolled has no field for a name or an
 * institution: those travel only inside `pii`, encrypted (closed objects refuse anything else).
 *
 * Training has one registry per context: the wiring registers `moduleEventDefinitions` and
 * `sessionEventDefinitions` in one `EventRegistry(TRAINING_CONTEXT)`; the registry exported here
 * holds the session's alone, for its own tests and snapshot.
 */

/** As the decider checks it: `session-<id>`. */
const sessionId: JsonSchema = { type: 'string', pattern: `^${SESSION_ID_PREFIX}[A-Za-z0-9_-]{1,100}$` };
const id: JsonSchema = { type: 'string', minLength: 1, maxLength: SessionLimits.idMaxLength };
const date: JsonSchema = { type: 'string', format: 'date' };
const instant: JsonSchema = { type: 'string', format: 'date-time' };
const reason: JsonSchema = { type: 'string', minLength: 1, maxLength: SessionLimits.reasonMaxLength };
const code: JsonSchema = { type: 'string', pattern: SessionLimits.certificateCodePattern };
const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
const list = (items: JsonSchema, bounds: { minItems?: number; maxItems?: number } = {}): JsonSchema => ({
  type: 'array',
  items,
  ...bounds,
});
const onParticipant = { sessionId, participantId: id };

/** Every event type of a training session stream, at its current version, in lifecycle order. */
export const sessionEventDefinitions: readonly EventTypeDefinition[] = [
  v1(
    'TrainingSessionScheduled',
    object(
      {
        sessionId,
        moduleId: moduleIdSchema,
        moduleTitle: localizedTextSchema(SessionLimits.titleMaxLength),
        trainers: list(text(SessionLimits.trainerMaxLength), { minItems: 1, maxItems: SessionLimits.maxTrainers }),
        region: regionSchema,
        venue: text(SessionLimits.venueMaxLength),
        startDate: date,
        endDate: date,
        capacity: { type: 'integer', minimum: SessionLimits.minCapacity, maximum: SessionLimits.maxCapacity },
        passMark: { type: 'integer', minimum: 0, maximum: SessionLimits.maxPassMark },
        partnerIds: list(id, { maxItems: SessionLimits.maxPartners }),
        budgetLineId: id,
        estimatedCost: moneyAmountSchema,
      },
      ['budgetLineId', 'estimatedCost'],
    ),
    'A training session was scheduled from a published module',
  ),
  fundingRequestedDefinition,
  v1(
    'FundingApproved',
    object({ sessionId, commitmentId: id, requestId: id, amount: moneyAmountSchema, decidedAt: instant }, ['requestId']),
    "Finance approved the session's commitment",
  ),
  v1(
    'FundingRejected',
    object({ sessionId, commitmentId: id, requestId: id, amount: moneyAmountSchema, reason, decidedAt: instant }, ['requestId']),
    "Finance rejected the session's commitment",
  ),
  v1(
    'ParticipantEnrolled',
    object({
      ...onParticipant,
      personId: id,
      pii: object({ keyId: text(SessionLimits.piiKeyIdMaxLength), ciphertext: text(SessionLimits.piiCiphertextMaxLength) }),
      sex: { type: 'string', enum: SEXES },
      ageGroup: { type: 'string', enum: AGE_GROUPS },
      profession: { type: 'string', enum: PROFESSIONS },
      region: regionSchema,
      status: { type: 'string', enum: ['ENROLLED', 'WAITING'] },
    }),
    'A participant enrolled (pseudonymous, name and institution encrypted), on a seat or on the waiting list',
  ),
  v1('ParticipantWithdrawn', object({ ...onParticipant, reason }, ['reason']), 'A participant left the session or its waiting list'),
  v1('ParticipantPromoted', object(onParticipant), 'The first waiting participant took a freed seat'),
  v1('TrainingSessionStarted', object({ sessionId }), 'SCHEDULED -> IN_PROGRESS'),
  v1(
    'AttendanceRecorded',
    object({ sessionId, day: date, presentParticipantIds: list(id, { maxItems: SessionLimits.maxCapacity }) }),
    "One day's present participants (replaces an earlier record of the day)",
  ),
  v1(
    'AssessmentRecorded',
    object({
      ...onParticipant,
      phase: { type: 'string', enum: ASSESSMENT_PHASES },
      score: { type: 'integer', minimum: 0, maximum: SessionLimits.maxScore },
    }),
    'A pre- or post-assessment score (replaces an earlier one of the phase)',
  ),
  v1('TrainingSessionCompleted', object({ sessionId }), 'IN_PROGRESS -> COMPLETED'),
  v1('CertificateIssued', object({ ...onParticipant, code, issuedAt: instant }), 'A certificate issued at completion, with its code'),
  v1(
    'CertificateRevoked',
    object({ ...onParticipant, code, reason, revokedAt: instant }),
    'A certificate revoked by the director, with a reason',
  ),
  v1('TrainingSessionCancelled', object({ sessionId, reason }), 'Cancelled before completion, with a reason'),
  fundingWithdrawnDefinition,
];

/** The session's event types alone, registered at their current version. */
export const sessionEventRegistry = sessionEventDefinitions.reduce((r, d) => r.register(d), new EventRegistry(TRAINING_CONTEXT));
