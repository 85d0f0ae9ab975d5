import type { Command, CommandMetadata, Decider } from '@hrp/domain-kit';
import { IllegalStateError, NotFoundError, ValidationError, assertNever } from '@hrp/domain-kit';
import type { AgeGroup, LocalizedText, MoneyAmount, ProducerFundingDecision, Region, Sex } from '@hrp/contracts';
import {
  AGE_GROUPS,
  DEFAULT_CURRENCY,
  FUNDING_PURPOSE_MAX_LENGTH,
  MAX_MINOR_UNITS,
  SEXES,
  fundingDecisionFor,
  fundingDecisionOutcome,
  fundingWithdrawalOf,
  isAgeGroup,
  isCurrencyCode,
  isRegion,
  isSex,
  schemaIssues,
  toMoneyAmount,
  validateLocalizedText,
} from '@hrp/contracts';
import type { Profession } from '../module/module.events';
import { MODULE_ID_PREFIX, PROFESSIONS } from '../module/module.events';
import type {
  AssessmentPhase,
  EncryptedPii,
  Participant,
  TrainingSession,
  TrainingSessionEvent,
  TrainingSessionState,
} from './session.events';
import {
  ASSESSMENT_PHASES,
  SESSION_ID_PREFIX,
  SESSION_STATE_SCHEMA_VERSION,
  dayCount,
  enrolledParticipants,
  evolve,
  exists,
  findCertificate,
  findParticipant,
  hasCost,
  initialState,
  isClosed,
  qualifies,
  sessionDays,
  waitingList,
} from './session.events';

/** Stable ids of the business rules, carried by `IllegalStateError.rule` (GraphQL `extensions.rule`). */
export const SessionRules = {
  /** Completed or cancelled: every command is refused, but a certificate's revocation (a funding decision is a no-op). */
  closed: 'training.session.closed',
  scheduleAlreadyExists: 'training.schedule.already-exists',
  scheduleRequiresPublishedModule: 'training.schedule.requires-published-module',
  enrolRequiresScheduled: 'training.enrol.requires-scheduled',
  /** The same person (personId) is already enrolled or waiting in the session. */
  enrolDuplicate: 'training.enrol.duplicate',
  startRequiresScheduled: 'training.start.requires-scheduled',
  startRequiresFunding: 'training.start.requires-funding',
  startRequiresParticipants: 'training.start.requires-participants',
  attendanceRequiresInProgress: 'training.attendance.requires-in-progress',
  attendanceDayOutsideSession: 'training.attendance.day-outside-session',
  attendanceRequiresEnrolled: 'training.attendance.requires-enrolled',
  assessmentPostRequiresInProgress: 'training.assessment.post-requires-in-progress',
  assessmentRequiresEnrolled: 'training.assessment.requires-enrolled',
  completeRequiresInProgress: 'training.complete.requires-in-progress',
  /** A partner id that partnerships never registered (as far as the local view knows, after a bounded wait). */
  partnerUnknown: 'training.session.partner-unknown',
  /** A new reference to a partner partnerships deactivated (sessions that already name it keep it). */
  partnerInactive: 'training.session.partner-inactive',
} as const;
export type SessionRule = (typeof SessionRules)[keyof typeof SessionRules];

/** Limits of the inputs (characters are Unicode code points). */
export const SessionLimits = {
  idMaxLength: 200,
  titleMaxLength: FUNDING_PURPOSE_MAX_LENGTH,
  maxTrainers: 20,
  trainerMaxLength: 200,
  venueMaxLength: 200,
  maxDays: 60,
  minCapacity: 1,
  maxCapacity: 500,
  maxPassMark: 100,
  maxScore: 100,
  maxPartners: 100,
  reasonMaxLength: 1000,
  piiKeyIdMaxLength: 200,
  /** The encrypted name and institution (base64 or similar), with room for the cipher's overhead. */
  piiCiphertextMaxLength: 4096,
  /** Certificate codes are URL-safe: they go into a verification URL and a QR code. */
  certificateCodePattern: '^[A-Za-z0-9_-]{8,100}$',
} as const;

// ---------- commands (one per GraphQL mutation, plus the system command from finance) ----------

/** What the adapter read of the module's state when scheduling; null when the module does not exist. */
export interface ModuleOfSession {
  /** The module state's status (`NOT_CREATED` when the stream is empty). */
  readonly status: string;
  readonly title: LocalizedText;
}

/**
 * A named partner as the adapter found it in training's view of partnerships' events
 * (`known_partners`). An id named by the command but absent from the list is unknown.
 */
export interface KnownPartner {
  readonly id: string;
  readonly status: 'ACTIVE' | 'INACTIVE';
}

/** Optional inputs accept null as absent, as GraphQL sends them. */
export type ScheduleTrainingSession = Command<
  'ScheduleTrainingSession',
  {
    /** The stream id, `session-<uuid>` (see `sessionStreamId`). */
    readonly sessionId: string;
    readonly moduleId: string;
    readonly module: ModuleOfSession | null;
    readonly trainers: readonly string[];
    /** `MA-01` … `MA-12` or `NATIONAL`. */
    readonly region: string;
    readonly venue: string;
    readonly startDate: string;
    readonly endDate: string;
    readonly capacity: number;
    readonly passMark: number;
    readonly partnerIds?: readonly string[] | null;
    /** What the adapter read of `partnerIds` (not input: the adapter fills it, the decider checks against it). */
    readonly knownPartners: readonly KnownPartner[];
    readonly budgetLineId?: string | null;
    /** Parsed from `MoneyInput` (e.g. `parseMinorUnits`); currency defaults to MAD. */
    readonly estimatedCost?: { readonly amount: bigint; readonly currency?: string | null } | null;
  }
>;

/**
 * Built by the adapter: `participantId` is fresh; `personId` comes from its person registry (the
 * same person always gets the same one); `pii` is the name and institution encrypted with that
 * person's key. No readable personal data reaches the domain.
 */
export type EnrolParticipant = Command<
  'EnrolParticipant',
  {
    readonly sessionId: string;
    readonly participantId: string;
    readonly personId: string;
    readonly pii: EncryptedPii;
    readonly sex: Sex;
    readonly ageGroup: AgeGroup;
    readonly profession: Profession;
    readonly region: string;
  }
>;

export type WithdrawParticipant = Command<
  'WithdrawParticipant',
  { readonly sessionId: string; readonly participantId: string; readonly reason?: string | null }
>;
export type StartTrainingSession = Command<'StartTrainingSession', { readonly sessionId: string }>;
export type RecordAttendance = Command<
  'RecordAttendance',
  { readonly sessionId: string; readonly day: string; readonly presentParticipantIds: readonly string[] }
>;
export type RecordAssessment = Command<
  'RecordAssessment',
  { readonly sessionId: string; readonly participantId: string; readonly phase: AssessmentPhase; readonly score: number }
>;

/**
 * `metadata.ids` holds one fresh, unguessable certificate code per ENROLLED participant, in
 * enrolment order: the i-th enrolled participant gets the i-th code if it qualifies.
 */
export type CompleteTrainingSession = Command<'CompleteTrainingSession', { readonly sessionId: string }>;
export type RevokeCertificate = Command<
  'RevokeCertificate',
  { readonly sessionId: string; readonly code: string; readonly reason: string }
>;
export type CancelTrainingSession = Command<'CancelTrainingSession', { readonly sessionId: string; readonly reason: string }>;

/**
 * System command, built by the finance-events consumer (`recordFundingDecisionFrom`), never by a
 * GraphQL mutation: the authorization policy does not apply to it.
 */
export type RecordFundingDecision = Command<'RecordFundingDecision', { readonly sessionId: string } & ProducerFundingDecision>;

export type TrainingSessionCommand =
  | ScheduleTrainingSession
  | EnrolParticipant
  | WithdrawParticipant
  | StartTrainingSession
  | RecordAttendance
  | RecordAssessment
  | CompleteTrainingSession
  | RevokeCertificate
  | CancelTrainingSession
  | RecordFundingDecision;

/** Commands a user may send through GraphQL (everything but the system command). */
export type UserTrainingSessionCommand = Exclude<TrainingSessionCommand, RecordFundingDecision>;

// ---------- decide ----------

export function decide(command: TrainingSessionCommand, state: TrainingSessionState): TrainingSessionEvent[] {
  switch (command.type) {
    case 'ScheduleTrainingSession':
      return schedule(command, state);
    case 'EnrolParticipant':
      return enrol(command, state);
    case 'WithdrawParticipant':
      return withdraw(command, state);
    case 'StartTrainingSession':
      return start(openSession(state, command.data.sessionId));
    case 'RecordAttendance':
      return recordAttendance(command, state);
    case 'RecordAssessment':
      return recordAssessment(command, state);
    case 'CompleteTrainingSession':
      return complete(command, state);
    case 'RevokeCertificate':
      return revokeCertificate(command, state);
    case 'CancelTrainingSession':
      return cancel(command, state);
    case 'RecordFundingDecision':
      return recordFundingDecision(command, state);
    default:
      return assertNever(command);
  }
}

/** The session, refused when it does not exist (NOT_FOUND) or is closed. */
function openSession(state: TrainingSessionState, sessionId: string): TrainingSession {
  if (!exists(state)) throw new NotFoundError('TrainingSession', sessionId);
  if (isClosed(state)) {
    throw new IllegalStateError(
      SessionRules.closed,
      `training session ${state.id} is ${state.status.toLowerCase()}: it is closed to changes`,
    );
  }
  return state;
}

// ---------- lifecycle ----------

function schedule(command: ScheduleTrainingSession, state: TrainingSessionState): TrainingSessionEvent[] {
  const d = command.data;
  const sessionId = validateSessionId(d.sessionId);
  const moduleId = validateModuleId(d.moduleId);
  const trainers = validateTrainers(d.trainers);
  const region = validateRegion(d.region, 'region');
  const venue = validateShortText(d.venue, 'venue', SessionLimits.venueMaxLength);
  const startDate = validateDate(d.startDate, 'startDate');
  const endDate = validateDate(d.endDate, 'endDate');
  if (endDate < startDate) throw new ValidationError(`endDate ${endDate} is before startDate ${startDate}`, 'endDate');
  const days = dayCount(startDate, endDate);
  if (days > SessionLimits.maxDays) {
    throw new ValidationError(`a session lasts at most ${SessionLimits.maxDays} days; ${startDate} – ${endDate} is ${days}`, 'endDate');
  }
  const capacity = validateInteger(d.capacity, 'capacity', SessionLimits.minCapacity, SessionLimits.maxCapacity);
  const passMark = validateInteger(d.passMark, 'passMark', 0, SessionLimits.maxPassMark);
  const partnerIds = validateIds(d.partnerIds ?? [], 'partnerIds', SessionLimits.maxPartners);
  const budgetLineId = isGiven(d.budgetLineId) ? validateId(d.budgetLineId, 'budgetLineId') : undefined;
  const estimatedCost = isGiven(d.estimatedCost) ? validateCost(d.estimatedCost) : undefined;
  const costed = estimatedCost !== undefined && hasCost({ estimatedCost });
  // Without a line, a cost could never be funded and the session never started: refused up front.
  if (costed && budgetLineId === undefined) {
    throw new ValidationError('a session with an estimated cost needs a budget line', 'budgetLineId');
  }

  if (exists(state)) throw new IllegalStateError(SessionRules.scheduleAlreadyExists, `training session ${state.id} already exists`);
  const module = d.module;
  if (!isGiven(module) || module.status === 'NOT_CREATED') throw new NotFoundError('TrainingModule', moduleId);
  if (module.status !== 'PUBLISHED') {
    throw new IllegalStateError(
      SessionRules.scheduleRequiresPublishedModule,
      `sessions are scheduled from a published module; ${moduleId} is ${module.status}`,
    );
  }
  const moduleTitle = validateLocalizedText(module.title, { field: 'module.title', maxLength: SessionLimits.titleMaxLength });
  requireActivePartners(partnerIds, d.knownPartners);

  const scheduled: TrainingSessionEvent = {
    type: 'TrainingSessionScheduled',
    data: {
      sessionId,
      moduleId,
      moduleTitle,
      trainers,
      region,
      venue,
      startDate,
      endDate,
      capacity,
      passMark,
      partnerIds,
      ...(budgetLineId !== undefined ? { budgetLineId } : {}),
      ...(estimatedCost !== undefined ? { estimatedCost } : {}),
    },
  };
  if (!costed || budgetLineId === undefined || estimatedCost === undefined) return [scheduled];
  return [
    scheduled,
    {
      type: 'FundingRequested',
      data: {
        // Unique because a session requests funding at most once (when it is scheduled).
        requestId: `${sessionId}.funding-request`,
        sourceType: 'TRAINING_SESSION',
        sourceId: sessionId,
        budgetLineId,
        amount: estimatedCost,
        purpose: moduleTitle,
        requestedAt: command.metadata.now,
        regions: [region],
      },
    },
  ];
}

function start(session: TrainingSession): TrainingSessionEvent[] {
  if (session.status !== 'SCHEDULED') {
    throw new IllegalStateError(
      SessionRules.startRequiresScheduled,
      `only a scheduled session can be started; ${session.id} is ${session.status}`,
    );
  }
  // A REJECTED session stays SCHEDULED and can never start: it can only be cancelled.
  if (hasCost(session) && session.funding.status !== 'APPROVED') {
    throw new IllegalStateError(
      SessionRules.startRequiresFunding,
      `session ${session.id} has a cost and its funding is ${session.funding.status}, not APPROVED`,
    );
  }
  if (enrolledParticipants(session).length === 0) {
    throw new IllegalStateError(SessionRules.startRequiresParticipants, `session ${session.id} has no enrolled participant`);
  }
  return [{ type: 'TrainingSessionStarted', data: { sessionId: session.id } }];
}

/**
 * Completion, then one certificate per ENROLLED participant who qualifies (`qualifies`): the i-th
 * enrolled participant, in enrolment order, gets the i-th code of the metadata.
 */
function complete(command: CompleteTrainingSession, state: TrainingSessionState): TrainingSessionEvent[] {
  const session = openSession(state, command.data.sessionId);
  if (session.status !== 'IN_PROGRESS') {
    throw new IllegalStateError(
      SessionRules.completeRequiresInProgress,
      `only a session in progress can be completed; ${session.id} is ${session.status}`,
    );
  }
  const enrolled = enrolledParticipants(session);
  const codes = certificateCodes(command.metadata, enrolled.length);
  const issuedAt = command.metadata.now;
  const certificates: TrainingSessionEvent[] = enrolled.flatMap((p, i) =>
    qualifies(session, p.id)
      ? [{ type: 'CertificateIssued' as const, data: { sessionId: session.id, participantId: p.id, code: codes[i], issuedAt } }]
      : [],
  );
  return [{ type: 'TrainingSessionCompleted', data: { sessionId: session.id } }, ...certificates];
}

const CERTIFICATE_CODE = new RegExp(SessionLimits.certificateCodePattern);

/** The adapter's codes; too few, malformed or repeated ones are adapter bugs (a plain Error, an internal error). */
function certificateCodes(metadata: CommandMetadata, needed: number): readonly string[] {
  const codes = metadata.ids ?? [];
  if (codes.length < needed) {
    throw new Error(`CompleteTrainingSession needs ${needed} fresh certificate codes in metadata.ids, got ${codes.length}`);
  }
  if (codes.some((c) => !CERTIFICATE_CODE.test(c))) throw new Error('certificate codes must match ' + SessionLimits.certificateCodePattern);
  if (new Set(codes).size !== codes.length) throw new Error('certificate codes in metadata.ids must be distinct');
  return codes;
}

function cancel(command: CancelTrainingSession, state: TrainingSessionState): TrainingSessionEvent[] {
  const reason = validateReason(command.data.reason);
  // Cancelling twice is refused as `training.session.closed`, like any change to a closed session.
  const session = openSession(state, command.data.sessionId);
  const cancelled: TrainingSessionEvent = { type: 'TrainingSessionCancelled', data: { sessionId: session.id, reason } };
  const source = { sourceType: 'TRAINING_SESSION', sourceId: session.id, budgetLineId: session.budgetLineId } as const;
  const withdrawal = fundingWithdrawalOf(session.funding, source, reason, command.metadata.now);
  return withdrawal === undefined ? [cancelled] : [cancelled, { type: 'FundingWithdrawn', data: withdrawal }];
}

/**
 * Every partner a command newly names is registered and ACTIVE, as far as the adapter's lookup in
 * the local view tells. Unknown ids come first: naming a partner that does not exist is the
 * graver mistake.
 */
function requireActivePartners(partnerIds: readonly string[], known: readonly KnownPartner[] | null | undefined): void {
  const status = new Map((known ?? []).map((p) => [p.id, p.status]));
  const unknown = partnerIds.filter((id) => !status.has(id));
  if (unknown.length > 0) {
    throw new IllegalStateError(
      SessionRules.partnerUnknown,
      `unknown partner${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: partnerships has not registered ${unknown.length > 1 ? 'them' : 'it'}`,
    );
  }
  const inactive = partnerIds.filter((id) => status.get(id) !== 'ACTIVE');
  if (inactive.length > 0) {
    throw new IllegalStateError(
      SessionRules.partnerInactive,
      `partner${inactive.length > 1 ? 's' : ''} ${inactive.join(', ')} ${inactive.length > 1 ? 'are' : 'is'} inactive: a session names active partners only`,
    );
  }
}

// ---------- funding (system command, from finance's decisions) ----------

/**
 * Recorded only while the request is pending (REQUESTED). Everything else is a no-op, never a
 * refusal, because the command comes from a Kafka consumer that may see a decision again
 * (redelivery after a crash), late (after the session was cancelled or completed), or for a
 * session that never asked (a commitment entered by hand in finance): refusing would only block
 * the consumer.
 */
function recordFundingDecision(command: RecordFundingDecision, state: TrainingSessionState): TrainingSessionEvent[] {
  if (!exists(state) || isClosed(state)) return [];
  const outcome = fundingDecisionOutcome(state.funding, command.data);
  if (outcome === null) return [];
  if (outcome.decision === 'APPROVED') return [{ type: 'FundingApproved', data: { sessionId: state.id, ...outcome.data } }];
  return [{ type: 'FundingRejected', data: { sessionId: state.id, ...outcome.data, reason: validateReason(outcome.data.reason) } }];
}

/**
 * Maps a consumed finance event (`CommitmentApproved` / `CommitmentRejected`, upcast to its current
 * version) to the command for the training session it is about; `null` for other event types and
 * for commitments of campaigns or agreements. The consumer passes its own metadata: `now`, a system
 * actor, and the consumed event's id as `causationId`.
 * @throws EventSchemaViolationError when the decision's data breaks its schema
 */
export function recordFundingDecisionFrom(
  event: { readonly type: string; readonly data: unknown },
  metadata: CommandMetadata,
): RecordFundingDecision | null {
  const found = fundingDecisionFor('TRAINING_SESSION', event);
  return found === null ? null : { type: 'RecordFundingDecision', data: { sessionId: found.sourceId, ...found.decision }, metadata };
}

// ---------- participants ----------

/**
 * A seat while fewer than `capacity` hold one, else the waiting list: capacity is never exceeded,
 * and concurrent enrolments are decided one after the other on the stream (the handler's
 * expected-version append), so the last seat goes to exactly one of them.
 */
function enrol(command: EnrolParticipant, state: TrainingSessionState): TrainingSessionEvent[] {
  const d = command.data;
  const participantId = validateId(d.participantId, 'participantId');
  const personId = validateId(d.personId, 'personId');
  const pii = validatePii(d.pii);
  const sex = validateEnum<Sex>(d.sex, SEXES, 'sex', isSex);
  const ageGroup = validateEnum<AgeGroup>(d.ageGroup, AGE_GROUPS, 'ageGroup', isAgeGroup);
  const profession = validateEnum<Profession>(d.profession, PROFESSIONS, 'profession');
  const region = validateRegion(d.region, 'region');

  const session = openSession(state, d.sessionId);
  if (session.status !== 'SCHEDULED') {
    throw new IllegalStateError(
      SessionRules.enrolRequiresScheduled,
      `participants enrol in a scheduled session; ${session.id} is ${session.status}`,
    );
  }
  // An adapter bug, not a user error: participant ids are fresh.
  if (findParticipant(session, participantId) !== undefined)
    throw new Error(`participant id ${participantId} is already used in ${session.id}`);
  if (session.participants.some((p) => p.personId === personId && p.status !== 'WITHDRAWN')) {
    throw new IllegalStateError(SessionRules.enrolDuplicate, `this person is already enrolled or waiting in session ${session.id}`);
  }
  const status = enrolledParticipants(session).length < session.capacity ? 'ENROLLED' : 'WAITING';
  return [
    {
      type: 'ParticipantEnrolled',
      data: { sessionId: session.id, participantId, personId, pii, sex, ageGroup, profession, region, status },
    },
  ];
}

/** An ENROLLED participant's seat goes to the first waiting one, while the session is open. */
function withdraw(command: WithdrawParticipant, state: TrainingSessionState): TrainingSessionEvent[] {
  const d = command.data;
  const reason = isGiven(d.reason) ? validateReason(d.reason) : undefined;
  const session = openSession(state, d.sessionId);
  const participant = participantOf(session, d.participantId);
  if (participant.status === 'WITHDRAWN') return [];
  const withdrawn: TrainingSessionEvent = {
    type: 'ParticipantWithdrawn',
    data: { sessionId: session.id, participantId: participant.id, ...(reason !== undefined ? { reason } : {}) },
  };
  const next = participant.status === 'ENROLLED' ? waitingList(session)[0] : undefined;
  if (next === undefined) return [withdrawn];
  return [withdrawn, { type: 'ParticipantPromoted', data: { sessionId: session.id, participantId: next.id } }];
}

function participantOf(session: TrainingSession, participantId: string): Participant {
  const participant = findParticipant(session, participantId);
  if (participant === undefined) throw new NotFoundError('Participant', participantId);
  return participant;
}

// ---------- attendance and assessments ----------

/** The day's present list, kept in enrolment order so that the same list in another order is a no-op. */
function recordAttendance(command: RecordAttendance, state: TrainingSessionState): TrainingSessionEvent[] {
  const d = command.data;
  const day = validateDate(d.day, 'day');
  const ids = validateArray(d.presentParticipantIds, 'presentParticipantIds').map((v) => validateId(v, 'presentParticipantIds'));
  rejectDuplicates(ids, 'presentParticipantIds');

  const session = openSession(state, d.sessionId);
  if (session.status !== 'IN_PROGRESS') {
    throw new IllegalStateError(
      SessionRules.attendanceRequiresInProgress,
      `attendance is recorded while the session is in progress; ${session.id} is ${session.status}`,
    );
  }
  if (!sessionDays(session).includes(day)) {
    throw new IllegalStateError(
      SessionRules.attendanceDayOutsideSession,
      `${day} is not a day of the session (${session.startDate} – ${session.endDate})`,
    );
  }
  for (const id of ids) {
    const participant = participantOf(session, id);
    if (participant.status !== 'ENROLLED') {
      throw new IllegalStateError(SessionRules.attendanceRequiresEnrolled, `participant ${id} is ${participant.status}, not ENROLLED`);
    }
  }
  const present = new Set(ids);
  const presentParticipantIds = session.participants.filter((p) => present.has(p.id)).map((p) => p.id);
  const recorded = session.attendance[day];
  if (recorded !== undefined && sameList(recorded, presentParticipantIds)) return [];
  return [{ type: 'AttendanceRecorded', data: { sessionId: session.id, day, presentParticipantIds } }];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** PRE before or during the session, POST during it; the same score again is a no-op, another replaces it. */
function recordAssessment(command: RecordAssessment, state: TrainingSessionState): TrainingSessionEvent[] {
  const d = command.data;
  const phase = validateEnum<AssessmentPhase>(d.phase, ASSESSMENT_PHASES, 'phase');
  const score = validateInteger(d.score, 'score', 0, SessionLimits.maxScore);

  // An open session is SCHEDULED or IN_PROGRESS, when PRE is always allowed (a closed one is refused as `closed`).
  const session = openSession(state, d.sessionId);
  if (phase === 'POST' && session.status !== 'IN_PROGRESS') {
    throw new IllegalStateError(
      SessionRules.assessmentPostRequiresInProgress,
      `a POST assessment is recorded while the session is in progress; ${session.id} is ${session.status}`,
    );
  }
  const participant = participantOf(session, d.participantId);
  if (participant.status !== 'ENROLLED') {
    throw new IllegalStateError(
      SessionRules.assessmentRequiresEnrolled,
      `participant ${participant.id} is ${participant.status}, not ENROLLED`,
    );
  }
  const current = phase === 'PRE' ? participant.preScore : participant.postScore;
  if (current === score) return [];
  return [{ type: 'AssessmentRecorded', data: { sessionId: session.id, participantId: participant.id, phase, score } }];
}

// ---------- certificates ----------

/** Allowed on a completed session (that is where certificates are); revoking twice is a no-op. */
function revokeCertificate(command: RevokeCertificate, state: TrainingSessionState): TrainingSessionEvent[] {
  const d = command.data;
  const code = validateShortText(d.code, 'code', SessionLimits.idMaxLength);
  const reason = validateReason(d.reason);
  if (!exists(state)) throw new NotFoundError('TrainingSession', d.sessionId);
  const certificate = findCertificate(state, code);
  if (certificate === undefined) throw new NotFoundError('Certificate', code);
  if (certificate.revocation !== undefined) return [];
  return [
    {
      type: 'CertificateRevoked',
      data: { sessionId: state.id, participantId: certificate.participantId, code, reason, revokedAt: command.metadata.now },
    },
  ];
}

// ---------- input validation (ValidationError names the field) ----------

const SESSION_ID = new RegExp(`^${SESSION_ID_PREFIX}[A-Za-z0-9_-]{1,100}$`);
const MODULE_ID = new RegExp(`^${MODULE_ID_PREFIX}[A-Za-z0-9_-]{1,100}$`);

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function validateSessionId(value: unknown): string {
  if (typeof value !== 'string' || !SESSION_ID.test(value)) {
    throw new ValidationError(
      `sessionId must be ${SESSION_ID_PREFIX}<id> (letters, digits, - and _), got ${JSON.stringify(value)}`,
      'sessionId',
    );
  }
  return value;
}

function validateModuleId(value: unknown): string {
  if (typeof value !== 'string' || !MODULE_ID.test(value)) {
    throw new ValidationError(`moduleId must be ${MODULE_ID_PREFIX}<id>, got ${JSON.stringify(value)}`, 'moduleId');
  }
  return value;
}

function validateShortText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new ValidationError(`${field} must be a non-blank string`, field);
  const text = value.trim();
  if ([...text].length > maxLength) throw new ValidationError(`${field} is longer than ${maxLength} characters`, field);
  return text;
}

function validateReason(value: unknown): string {
  return validateShortText(value, 'reason', SessionLimits.reasonMaxLength);
}

function validateId(value: unknown, field: string): string {
  return validateShortText(value, field, SessionLimits.idMaxLength);
}

function validateArray(value: unknown, field: string, max?: number): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be a list`, field);
  if (max !== undefined && value.length > max) throw new ValidationError(`${field} has ${value.length} items, more than ${max}`, field);
  return value as unknown[];
}

function rejectDuplicates(values: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new ValidationError(`${field} lists ${v} twice`, field);
    seen.add(v);
  }
}

function validateIds(values: unknown, field: string, max: number): string[] {
  const ids = validateArray(values, field, max).map((v) => validateId(v, field));
  rejectDuplicates(ids, field);
  return ids;
}

/** 1 … 20 names, trimmed, distinct. */
function validateTrainers(values: unknown): string[] {
  const trainers = validateArray(values, 'trainers', SessionLimits.maxTrainers).map((v) =>
    validateShortText(v, 'trainers', SessionLimits.trainerMaxLength),
  );
  if (trainers.length === 0) throw new ValidationError('a session needs at least one trainer', 'trainers');
  rejectDuplicates(trainers, 'trainers');
  return trainers;
}

function validateEnum<T extends string>(value: unknown, allowed: readonly T[], field: string, guard?: (v: unknown) => v is T): T {
  const ok = guard !== undefined ? guard(value) : typeof value === 'string' && (allowed as readonly string[]).includes(value);
  if (!ok) throw new ValidationError(`${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, field);
  return value as T;
}

function validateRegion(value: unknown, field: string): Region {
  if (!isRegion(value)) throw new ValidationError(`${field} must be MA-01 … MA-12 or NATIONAL, got ${JSON.stringify(value)}`, field);
  return value;
}

const DATE_SCHEMA = { type: 'string', format: 'date' } as const;

/** YYYY-MM-DD naming a real day; such dates compare correctly as strings. */
function validateDate(value: unknown, field: string): string {
  if (schemaIssues(DATE_SCHEMA, value).length > 0) {
    throw new ValidationError(`${field} must be a calendar date (YYYY-MM-DD), got ${JSON.stringify(value)}`, field);
  }
  return value as string;
}

function validateInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(`${field} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`, field);
  }
  return value;
}

function validateCost(value: { readonly amount: unknown; readonly currency?: string | null }): MoneyAmount {
  const { amount } = value;
  if (typeof amount !== 'bigint' || amount < 0n || amount > MAX_MINOR_UNITS) {
    throw new ValidationError('estimatedCost.amount must be a non-negative integer number of minor units', 'estimatedCost.amount');
  }
  const currency = value.currency ?? DEFAULT_CURRENCY;
  if (!isCurrencyCode(currency)) {
    throw new ValidationError(
      `estimatedCost.currency must be three capital letters, got ${JSON.stringify(currency)}`,
      'estimatedCost.currency',
    );
  }
  return toMoneyAmount({ amount, currency });
}

/** Two bounded, non-blank strings, taken as they are (the ciphertext is never trimmed nor read). */
function validatePii(value: unknown): EncryptedPii {
  if (typeof value !== 'object' || value === null) throw new ValidationError('pii must be { keyId, ciphertext }', 'pii');
  const { keyId, ciphertext } = value as Record<string, unknown>;
  const check = (v: unknown, field: string, max: number): string => {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > max) {
      throw new ValidationError(`${field} must be a non-blank string of at most ${max} characters`, field);
    }
    return v;
  };
  return {
    keyId: check(keyId, 'pii.keyId', SessionLimits.piiKeyIdMaxLength),
    ciphertext: check(ciphertext, 'pii.ciphertext', SessionLimits.piiCiphertextMaxLength),
  };
}

// ---------- the decider ----------

export const trainingSessionDecider: Decider<TrainingSessionCommand, TrainingSessionEvent, TrainingSessionState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: SESSION_STATE_SCHEMA_VERSION,
};
