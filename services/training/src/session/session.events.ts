import type { DomainEvent } from '@hrp/domain-kit';
import type {
  AgeGroup,
  FundingRequested as FundingRequestedData,
  FundingWithdrawn as FundingWithdrawnData,
  LocalizedText,
  MoneyAmount,
  Region,
  Sex,
} from '@hrp/contracts';
import { AGE_GROUPS, SEXES, parseMinorUnits } from '@hrp/contracts';
import type { Profession } from '../module/module.events';
import { PROFESSIONS } from '../module/module.events';

/*
 * Training — sessions (docs/domain.md, "Training"): the events of one training session stream, the
 * state they fold into, and read helpers over it. Event data is plain JSON (dates as strings,
 * money as MinorUnits strings); optional fields are absent, never null or undefined.
 *
 * Personal data (law 09-08): a participant is written as a pseudonymous `personId` (random, the
 * same for one person across sessions, carrying nothing about them), the disaggregation fields the
 * indicators need (sex, age group, profession, region), and `pii`: the name and institution
 * encrypted by the adapter with that person's own key, kept outside the log. The domain never sees
 * a readable name. Erasing a person destroys the key: the ciphertext stays, unreadable, and every
 * count and disaggregated figure stays as it was (crypto-shredding).
 */

// ---------- vocabulary of the context (spelled as the GraphQL enums) ----------

export type TrainingSessionStatus = 'SCHEDULED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';
export type FundingStatus = 'NOT_REQUESTED' | 'REQUESTED' | 'APPROVED' | 'REJECTED';
/** ENROLLED holds a seat; WAITING is on the waiting list (in order of enrolment); WITHDRAWN left. */
export type ParticipantStatus = 'ENROLLED' | 'WAITING' | 'WITHDRAWN';

export const ASSESSMENT_PHASES = ['PRE', 'POST'] as const;
export type AssessmentPhase = (typeof ASSESSMENT_PHASES)[number];

/** A certificate needs at least this share of the session's days attended (days present / days). */
export const MIN_ATTENDANCE_RATE = 0.8;

/** Session ids are their stream ids: `session-<uuid>`. */
export const SESSION_ID_PREFIX = 'session-';

/** The stream id of a session from a fresh uuid (or any id suffix). */
export function sessionStreamId(uuid: string): string {
  return `${SESSION_ID_PREFIX}${uuid}`;
}

/**
 * A person's name and institution, encrypted by the adapter with the person's key (`keyId`).
 * Opaque to the domain: it is stored and handed back, never read.
 */
export interface EncryptedPii {
  readonly keyId: string;
  readonly ciphertext: string;
}

// ---------- events ----------

export type TrainingSessionScheduled = DomainEvent<
  'TrainingSessionScheduled',
  {
    readonly sessionId: string;
    readonly moduleId: string;
    /** The module's title when the session was scheduled (the funding request's purpose). */
    readonly moduleTitle: LocalizedText;
    readonly trainers: readonly string[];
    readonly region: Region;
    readonly venue: string;
    /** YYYY-MM-DD; the session's days are every date of the closed interval [startDate, endDate]. */
    readonly startDate: string;
    readonly endDate: string;
    readonly capacity: number;
    /** POST score (0 … 100) a participant needs for a certificate. */
    readonly passMark: number;
    readonly partnerIds: readonly string[];
    readonly budgetLineId?: string;
    readonly estimatedCost?: MoneyAmount;
  }
>;

/**
 * Exactly the integration payload of libs/contracts (`sourceType: 'TRAINING_SESSION'`, `sourceId`
 * the session id), so that the relay publishes it as it is and finance reads it with the shared schema.
 */
export type FundingRequested = DomainEvent<'FundingRequested', FundingRequestedData>;

/** The request is withdrawn because the session was cancelled: the shared integration payload. */
export type FundingWithdrawn = DomainEvent<'FundingWithdrawn', FundingWithdrawnData>;

export type FundingApproved = DomainEvent<
  'FundingApproved',
  {
    readonly sessionId: string;
    readonly commitmentId: string;
    readonly requestId?: string;
    readonly amount: MoneyAmount;
    readonly decidedAt: string;
  }
>;

export type FundingRejected = DomainEvent<
  'FundingRejected',
  {
    readonly sessionId: string;
    readonly commitmentId: string;
    readonly requestId?: string;
    readonly amount: MoneyAmount;
    readonly reason: string;
    readonly decidedAt: string;
  }
>;

/** No readable personal data: see the note at the top of this file. */
export type ParticipantEnrolled = DomainEvent<
  'ParticipantEnrolled',
  {
    readonly sessionId: string;
    readonly participantId: string;
    readonly personId: string;
    readonly pii: EncryptedPii;
    readonly sex: Sex;
    readonly ageGroup: AgeGroup;
    readonly profession: Profession;
    readonly region: Region;
    /** ENROLLED while seats remain, else WAITING. */
    readonly status: 'ENROLLED' | 'WAITING';
  }
>;

export type ParticipantWithdrawn = DomainEvent<
  'ParticipantWithdrawn',
  { readonly sessionId: string; readonly participantId: string; readonly reason?: string }
>;

/** The first waiting participant takes the seat an enrolled one left. */
export type ParticipantPromoted = DomainEvent<'ParticipantPromoted', { readonly sessionId: string; readonly participantId: string }>;

export type TrainingSessionStarted = DomainEvent<'TrainingSessionStarted', { readonly sessionId: string }>;

/** Who was present on one day of the session (in enrolment order); a later record of the day replaces it. */
export type AttendanceRecorded = DomainEvent<
  'AttendanceRecorded',
  { readonly sessionId: string; readonly day: string; readonly presentParticipantIds: readonly string[] }
>;

/** A later score of the same phase replaces the earlier one. */
export type AssessmentRecorded = DomainEvent<
  'AssessmentRecorded',
  { readonly sessionId: string; readonly participantId: string; readonly phase: AssessmentPhase; readonly score: number }
>;

export type TrainingSessionCompleted = DomainEvent<'TrainingSessionCompleted', { readonly sessionId: string }>;

/** `code` is unguessable (made by the adapter): it is what a verifier types or scans. */
export type CertificateIssued = DomainEvent<
  'CertificateIssued',
  { readonly sessionId: string; readonly participantId: string; readonly code: string; readonly issuedAt: string }
>;

export type CertificateRevoked = DomainEvent<
  'CertificateRevoked',
  {
    readonly sessionId: string;
    readonly participantId: string;
    readonly code: string;
    readonly reason: string;
    readonly revokedAt: string;
  }
>;

export type TrainingSessionCancelled = DomainEvent<'TrainingSessionCancelled', { readonly sessionId: string; readonly reason: string }>;

export type TrainingSessionEvent =
  | TrainingSessionScheduled
  | FundingRequested
  | FundingApproved
  | FundingRejected
  | ParticipantEnrolled
  | ParticipantWithdrawn
  | ParticipantPromoted
  | TrainingSessionStarted
  | AttendanceRecorded
  | AssessmentRecorded
  | TrainingSessionCompleted
  | CertificateIssued
  | CertificateRevoked
  | TrainingSessionCancelled
  | FundingWithdrawn;

export type TrainingSessionEventType = TrainingSessionEvent['type'];

/** Every event type of the stream, in lifecycle order (the registry registers exactly these). */
export const SESSION_EVENT_TYPES = [
  'TrainingSessionScheduled',
  'FundingRequested',
  'FundingApproved',
  'FundingRejected',
  'ParticipantEnrolled',
  'ParticipantWithdrawn',
  'ParticipantPromoted',
  'TrainingSessionStarted',
  'AttendanceRecorded',
  'AssessmentRecorded',
  'TrainingSessionCompleted',
  'CertificateIssued',
  'CertificateRevoked',
  'TrainingSessionCancelled',
  'FundingWithdrawn',
] as const satisfies readonly TrainingSessionEventType[];

// ---------- state ----------

export interface Participant {
  readonly id: string;
  readonly personId: string;
  readonly pii: EncryptedPii;
  readonly sex: Sex;
  readonly ageGroup: AgeGroup;
  readonly profession: Profession;
  readonly region: Region;
  readonly status: ParticipantStatus;
  /** Set when withdrawn with a reason. */
  readonly withdrawalReason?: string;
  readonly preScore?: number;
  readonly postScore?: number;
}

export interface Certificate {
  readonly code: string;
  readonly participantId: string;
  readonly issuedAt: string;
  /** Set when revoked. */
  readonly revocation?: { readonly reason: string; readonly revokedAt: string };
}

export interface Funding {
  readonly status: FundingStatus;
  /** The pending or answered request (set from REQUESTED on). */
  readonly requestId?: string;
  /** The commitment that answered the request (set once APPROVED or REJECTED). */
  readonly commitmentId?: string;
  readonly rejectionReason?: string;
  /** Set when the request was withdrawn (the session was cancelled); the status is kept. */
  readonly withdrawn?: true;
}

/** A session that exists. JSON-safe (money as MinorUnits strings) so that it can be snapshotted. */
export interface TrainingSession {
  readonly status: TrainingSessionStatus;
  readonly id: string;
  readonly moduleId: string;
  readonly moduleTitle: LocalizedText;
  readonly trainers: readonly string[];
  readonly region: Region;
  readonly venue: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly capacity: number;
  readonly passMark: number;
  readonly partnerIds: readonly string[];
  readonly budgetLineId?: string;
  readonly estimatedCost?: MoneyAmount;
  readonly funding: Funding;
  /** Everyone who ever enrolled, in enrolment order (withdrawn ones included). */
  readonly participants: readonly Participant[];
  /** Day (YYYY-MM-DD) -> ids of the participants present, for the days recorded. */
  readonly attendance: Readonly<Record<string, readonly string[]>>;
  /** In issuing order. */
  readonly certificates: readonly Certificate[];
  readonly cancellationReason?: string;
}

/** The state of a stream with no event yet. */
export interface NoTrainingSession {
  readonly status: 'NOT_CREATED';
}

export type TrainingSessionState = NoTrainingSession | TrainingSession;

/** Bump when `evolve` or the state's shape changes (stale snapshots are then rebuilt). */
export const SESSION_STATE_SCHEMA_VERSION = 1;

export function initialState(): TrainingSessionState {
  return { status: 'NOT_CREATED' };
}

export function evolve(state: TrainingSessionState, event: TrainingSessionEvent): TrainingSessionState {
  if (event.type === 'TrainingSessionScheduled') {
    const { sessionId, ...fields } = event.data;
    return {
      status: 'SCHEDULED',
      id: sessionId,
      ...fields,
      funding: { status: 'NOT_REQUESTED' },
      participants: [],
      attendance: {},
      certificates: [],
    };
  }
  // Any other event on an empty stream is a broken history: ignore it rather than invent a session.
  if (!exists(state)) return state;
  switch (event.type) {
    case 'FundingRequested':
      return { ...state, funding: { status: 'REQUESTED', requestId: event.data.requestId } };
    case 'FundingApproved':
      return { ...state, funding: { ...state.funding, status: 'APPROVED', commitmentId: event.data.commitmentId } };
    case 'FundingRejected':
      return {
        ...state,
        funding: { ...state.funding, status: 'REJECTED', commitmentId: event.data.commitmentId, rejectionReason: event.data.reason },
      };
    case 'ParticipantEnrolled': {
      const { sessionId: _sessionId, participantId, ...fields } = event.data;
      return { ...state, participants: [...state.participants, { id: participantId, ...fields }] };
    }
    case 'ParticipantWithdrawn': {
      const { reason } = event.data;
      return updateParticipant(state, event.data.participantId, (p) => ({
        ...p,
        status: 'WITHDRAWN',
        ...(reason !== undefined ? { withdrawalReason: reason } : {}),
      }));
    }
    case 'ParticipantPromoted':
      return updateParticipant(state, event.data.participantId, (p) => ({ ...p, status: 'ENROLLED' }));
    case 'TrainingSessionStarted':
      return { ...state, status: 'IN_PROGRESS' };
    case 'AttendanceRecorded':
      return { ...state, attendance: { ...state.attendance, [event.data.day]: event.data.presentParticipantIds } };
    case 'AssessmentRecorded': {
      const { phase, score } = event.data;
      return updateParticipant(state, event.data.participantId, (p) =>
        phase === 'PRE' ? { ...p, preScore: score } : { ...p, postScore: score },
      );
    }
    case 'TrainingSessionCompleted':
      return { ...state, status: 'COMPLETED' };
    case 'CertificateIssued': {
      const { code, participantId, issuedAt } = event.data;
      return { ...state, certificates: [...state.certificates, { code, participantId, issuedAt }] };
    }
    case 'CertificateRevoked': {
      const { code, reason, revokedAt } = event.data;
      return { ...state, certificates: state.certificates.map((c) => (c.code === code ? { ...c, revocation: { reason, revokedAt } } : c)) };
    }
    case 'TrainingSessionCancelled':
      return { ...state, status: 'CANCELLED', cancellationReason: event.data.reason };
    case 'FundingWithdrawn':
      return { ...state, funding: { ...state.funding, withdrawn: true } };
    default: {
      // Exhaustive at compile time; an unknown type at run time leaves the state as it is.
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}

function updateParticipant(state: TrainingSession, participantId: string, change: (p: Participant) => Participant): TrainingSession {
  return { ...state, participants: state.participants.map((p) => (p.id === participantId ? change(p) : p)) };
}

// ---------- read helpers over the state ----------

/** Whether the session was scheduled. */
export function exists(state: TrainingSessionState): state is TrainingSession {
  return state.status !== 'NOT_CREATED';
}

/** Completed or cancelled: closed to changes (but a certificate's revocation). */
export function isClosed(session: Pick<TrainingSession, 'status'>): boolean {
  return session.status === 'COMPLETED' || session.status === 'CANCELLED';
}

/** Whether the session has an estimated cost above zero (and so needs funding to start). */
export function hasCost(session: Pick<TrainingSession, 'estimatedCost'>): boolean {
  return session.estimatedCost !== undefined && parseMinorUnits(session.estimatedCost.amount) > 0n;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;
}

/** Days of the closed interval [startDate, endDate] (two valid YYYY-MM-DD dates), 0 when reversed. */
export function dayCount(startDate: string, endDate: string): number {
  return Math.max(0, dayNumber(endDate) - dayNumber(startDate) + 1);
}

/** The session's days: every date from its start to its end, both included, in order. */
export function sessionDays(session: Pick<TrainingSession, 'startDate' | 'endDate'>): string[] {
  const first = dayNumber(session.startDate);
  return Array.from({ length: dayCount(session.startDate, session.endDate) }, (_, i) =>
    new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
  );
}

export function findParticipant(session: TrainingSession, participantId: string): Participant | undefined {
  return session.participants.find((p) => p.id === participantId);
}

export function findCertificate(session: TrainingSession, code: string): Certificate | undefined {
  return session.certificates.find((c) => c.code === code);
}

/** Participants holding a seat, in enrolment order (a promoted one keeps its place). */
export function enrolledParticipants(session: TrainingSession): Participant[] {
  return session.participants.filter((p) => p.status === 'ENROLLED');
}

/** The waiting list, first to be promoted first. */
export function waitingList(session: TrainingSession): Participant[] {
  return session.participants.filter((p) => p.status === 'WAITING');
}

export interface ParticipantCounts {
  readonly enrolled: number;
  readonly waiting: number;
  readonly withdrawn: number;
}

/** How many hold a seat, wait, and left (zeros for a new stream). */
export function participantCounts(state: TrainingSessionState): ParticipantCounts {
  const counts = { enrolled: 0, waiting: 0, withdrawn: 0 };
  if (!exists(state)) return counts;
  for (const p of state.participants) {
    if (p.status === 'ENROLLED') counts.enrolled += 1;
    else if (p.status === 'WAITING') counts.waiting += 1;
    else counts.withdrawn += 1;
  }
  return counts;
}

/** Days of the session on which the participant was recorded present. */
export function daysPresent(session: TrainingSession, participantId: string): number {
  const days = new Set(sessionDays(session));
  return Object.entries(session.attendance).filter(([day, present]) => days.has(day) && present.includes(participantId)).length;
}

/** Days present over the session's days, 0 … 1 (a day not recorded counts as absent). */
export function attendanceRate(session: TrainingSession, participantId: string): number {
  return daysPresent(session, participantId) / dayCount(session.startDate, session.endDate);
}

/**
 * Whether the participant earns a certificate at completion: ENROLLED, present on at least 80% of
 * the session's days, and a POST score at or above the pass mark. The share is compared in whole
 * numbers (present × 5 ≥ days × 4), so that exactly 80% qualifies whatever the number of days.
 */
export function qualifies(session: TrainingSession, participantId: string): boolean {
  const participant = findParticipant(session, participantId);
  if (participant?.status !== 'ENROLLED') return false;
  const days = dayCount(session.startDate, session.endDate);
  const attendedEnough = daysPresent(session, participantId) * 5 >= days * 4;
  return attendedEnough && participant.postScore !== undefined && participant.postScore >= session.passMark;
}

/** ENROLLED participants counted by sex, age group, profession and region (no name needed). */
export interface EnrolledBreakdown {
  readonly total: number;
  readonly bySex: Readonly<Record<Sex, number>>;
  readonly byAgeGroup: Readonly<Record<AgeGroup, number>>;
  readonly byProfession: Readonly<Record<Profession, number>>;
  /** Only the regions with someone enrolled. */
  readonly byRegion: Readonly<Partial<Record<Region, number>>>;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The disaggregated counts of the participants holding a seat (zeros for a new stream). */
export function enrolledBreakdown(state: TrainingSessionState): EnrolledBreakdown {
  const bySex = zeros(SEXES);
  const byAgeGroup = zeros(AGE_GROUPS);
  const byProfession = zeros(PROFESSIONS);
  const byRegion: Partial<Record<Region, number>> = {};
  const enrolled = exists(state) ? enrolledParticipants(state) : [];
  for (const p of enrolled) {
    bySex[p.sex] += 1;
    byAgeGroup[p.ageGroup] += 1;
    byProfession[p.profession] += 1;
    byRegion[p.region] = (byRegion[p.region] ?? 0) + 1;
  }
  return { total: enrolled.length, bySex, byAgeGroup, byProfession, byRegion };
}
