import type { DomainEvent } from '@hrp/domain-kit';
import type { HumanRightsTag, LocalizedText } from '@hrp/contracts';

/*
 * Advocacy — dossiers (docs/domain.md, "Advocacy"): the events of one dossier stream, the state
 * they fold into, and read helpers over it. Event data is plain JSON (dates as YYYY-MM-DD strings,
 * instants as ISO 8601 strings); optional fields are absent, never null or undefined.
 *
 * One aggregate: the dossier (`dossier-<uuid>`). Its recommendations (`recommendation-<uuid>`) and
 * engagements (`engagement-<uuid>`) live in its stream, with ids drawn by the adapter, as training's
 * participants live in their session's: a recommendation is issued within one dossier and never
 * moves, and the dossier decides what may happen to it.
 *
 * Lifecycle of a dossier: OPEN -> CLOSED (with an outcome). Of a recommendation: ISSUED ->
 * ACKNOWLEDGED -> UNDER_CONSIDERATION -> ADOPTED | PARTIALLY_ADOPTED | REJECTED, forward only
 * (steps may be skipped), each change with its evidence (a document reference and its date).
 *
 * Engagements name institutions (stakeholders), never private persons: no personal data here.
 */

// ---------- vocabulary of the context (spelled as the GraphQL enums) ----------

export type DossierStatus = 'OPEN' | 'CLOSED';

export const DOSSIER_TARGETS = ['PARLIAMENT', 'GOVERNMENT', 'MINISTRY', 'LOCAL_AUTHORITY', 'JUDICIARY', 'INTERNATIONAL_BODY'] as const;
export type DossierTarget = (typeof DOSSIER_TARGETS)[number];

export const RECOMMENDATION_SOURCES = [
  'INSTITUTION_OPINION',
  'MEMORANDUM',
  'ANNUAL_REPORT',
  'UPR_CYCLE',
  'TREATY_BODY',
  'SPECIAL_PROCEDURE',
] as const;
export type RecommendationSource = (typeof RECOMMENDATION_SOURCES)[number];

/** Every status, in lifecycle order (the three decided ones last, on the same step). */
export const RECOMMENDATION_STATUSES = [
  'ISSUED',
  'ACKNOWLEDGED',
  'UNDER_CONSIDERATION',
  'ADOPTED',
  'PARTIALLY_ADOPTED',
  'REJECTED',
] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

/** The State's final answers: a decided recommendation keeps its status for good. */
export const DECIDED_STATUSES = ['ADOPTED', 'PARTIALLY_ADOPTED', 'REJECTED'] as const;
export type DecidedStatus = (typeof DECIDED_STATUSES)[number];

/** The statuses a change may lead to (ISSUED is the issue itself, never a change). */
export const CHANGE_STATUSES = ['ACKNOWLEDGED', 'UNDER_CONSIDERATION', 'ADOPTED', 'PARTIALLY_ADOPTED', 'REJECTED'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export const ENGAGEMENT_KINDS = ['MEETING', 'HEARING', 'MEMORANDUM'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

/** Dossier ids are their stream ids: `dossier-<uuid>`. */
export const DOSSIER_ID_PREFIX = 'dossier-';
/** Recommendation ids, unique across dossiers: `recommendation-<uuid>`. */
export const RECOMMENDATION_ID_PREFIX = 'recommendation-';
/** Engagement ids: `engagement-<uuid>`. */
export const ENGAGEMENT_ID_PREFIX = 'engagement-';

/** The stream id of a dossier from a fresh uuid (or any id suffix). */
export function dossierStreamId(uuid: string): string {
  return `${DOSSIER_ID_PREFIX}${uuid}`;
}

/** A recommendation's id from a fresh uuid, drawn by the adapter. */
export function recommendationIdFrom(uuid: string): string {
  return `${RECOMMENDATION_ID_PREFIX}${uuid}`;
}

/** An engagement's id from a fresh uuid, drawn by the adapter. */
export function engagementIdFrom(uuid: string): string {
  return `${ENGAGEMENT_ID_PREFIX}${uuid}`;
}

/** What evidences a change of status: a document (letter, official gazette, session report, …) and its date. */
export interface Evidence {
  readonly reference: string;
  /** YYYY-MM-DD: the document's date, on or after the recommendation's issue date. */
  readonly date: string;
}

// ---------- events ----------

export type DossierOpened = DomainEvent<
  'DossierOpened',
  {
    readonly dossierId: string;
    readonly topic: LocalizedText;
    readonly target: DossierTarget;
    readonly instruments: readonly string[];
    readonly themes: readonly string[];
    readonly objective?: LocalizedText;
    readonly tags: readonly HumanRightsTag[];
    /** The command's `now`. */
    readonly openedAt: string;
  }
>;

/** `issuedOn` is the recommendation's own date (past or today); `recordedAt` the command's `now`. */
export type RecommendationIssued = DomainEvent<
  'RecommendationIssued',
  {
    readonly dossierId: string;
    readonly recommendationId: string;
    readonly text: LocalizedText;
    readonly addressee: string;
    readonly source: RecommendationSource;
    readonly issuedOn: string;
    readonly tags: readonly HumanRightsTag[];
    readonly recordedAt: string;
  }
>;

export type RecommendationStatusChanged = DomainEvent<
  'RecommendationStatusChanged',
  {
    readonly dossierId: string;
    readonly recommendationId: string;
    readonly from: RecommendationStatus;
    readonly to: ChangeStatus;
    readonly evidence: Evidence;
    readonly recordedAt: string;
  }
>;

export type EngagementLogged = DomainEvent<
  'EngagementLogged',
  {
    readonly dossierId: string;
    readonly engagementId: string;
    readonly kind: EngagementKind;
    readonly date: string;
    /** Institutions, at least one. */
    readonly stakeholders: readonly string[];
    readonly outcome?: string;
  }
>;

/** The outcome of an engagement, known after it was logged (or corrected): it replaces the previous one. */
export type EngagementOutcomeRecorded = DomainEvent<
  'EngagementOutcomeRecorded',
  { readonly dossierId: string; readonly engagementId: string; readonly outcome: string }
>;

export type DossierClosed = DomainEvent<
  'DossierClosed',
  { readonly dossierId: string; readonly outcome: string; readonly closedAt: string }
>;

export type DossierEvent =
  DossierOpened | RecommendationIssued | RecommendationStatusChanged | EngagementLogged | EngagementOutcomeRecorded | DossierClosed;

export type DossierEventType = DossierEvent['type'];

/** Every event type of the stream, in lifecycle order (the registry registers exactly these). */
export const DOSSIER_EVENT_TYPES = [
  'DossierOpened',
  'RecommendationIssued',
  'RecommendationStatusChanged',
  'EngagementLogged',
  'EngagementOutcomeRecorded',
  'DossierClosed',
] as const satisfies readonly DossierEventType[];

// ---------- state ----------

/** One entry of a recommendation's history: the issue itself first (no `from`, no evidence), then every change. */
export interface StatusChange {
  readonly status: RecommendationStatus;
  readonly from?: RecommendationStatus;
  readonly evidence?: Evidence;
  /** When it was recorded (the command's `now`). */
  readonly recordedAt: string;
}

export interface Recommendation {
  readonly id: string;
  readonly text: LocalizedText;
  readonly addressee: string;
  readonly source: RecommendationSource;
  readonly issuedOn: string;
  readonly tags: readonly HumanRightsTag[];
  readonly status: RecommendationStatus;
  /** Oldest first: the issue, then each change of status. */
  readonly history: readonly StatusChange[];
}

export interface Engagement {
  readonly id: string;
  readonly kind: EngagementKind;
  readonly date: string;
  readonly stakeholders: readonly string[];
  readonly outcome?: string;
}

/** A dossier that exists. JSON-safe, so that it can be snapshotted. */
export interface Dossier {
  readonly status: DossierStatus;
  readonly id: string;
  readonly topic: LocalizedText;
  readonly target: DossierTarget;
  readonly instruments: readonly string[];
  readonly themes: readonly string[];
  readonly objective?: LocalizedText;
  readonly tags: readonly HumanRightsTag[];
  readonly openedAt: string;
  /** In the order they were issued. */
  readonly recommendations: readonly Recommendation[];
  /** In the order they were logged. */
  readonly engagements: readonly Engagement[];
  /** Set when CLOSED. */
  readonly outcome?: string;
  readonly closedAt?: string;
}

/** The state of a stream with no event yet. */
export interface NoDossier {
  readonly status: 'NOT_CREATED';
}

export type DossierState = NoDossier | Dossier;

/** Bump when `evolve` or the state's shape changes (stale snapshots are then rebuilt). */
export const DOSSIER_STATE_SCHEMA_VERSION = 1;

export function initialState(): DossierState {
  return { status: 'NOT_CREATED' };
}

export function evolve(state: DossierState, event: DossierEvent): DossierState {
  if (event.type === 'DossierOpened') {
    const { dossierId, ...fields } = event.data;
    return { status: 'OPEN', id: dossierId, ...fields, recommendations: [], engagements: [] };
  }
  // Any other event on an empty stream is a broken history: ignore it rather than invent a dossier.
  if (!exists(state)) return state;
  switch (event.type) {
    case 'RecommendationIssued': {
      const { dossierId: _dossierId, recommendationId, recordedAt, ...fields } = event.data;
      const recommendation: Recommendation = {
        id: recommendationId,
        ...fields,
        status: 'ISSUED',
        history: [{ status: 'ISSUED', recordedAt }],
      };
      return { ...state, recommendations: [...state.recommendations, recommendation] };
    }
    case 'RecommendationStatusChanged': {
      const { from, to, evidence, recordedAt } = event.data;
      return updateRecommendation(state, event.data.recommendationId, (r) => ({
        ...r,
        status: to,
        history: [...r.history, { status: to, from, evidence, recordedAt }],
      }));
    }
    case 'EngagementLogged': {
      const { dossierId: _dossierId, engagementId, ...fields } = event.data;
      return { ...state, engagements: [...state.engagements, { id: engagementId, ...fields }] };
    }
    case 'EngagementOutcomeRecorded':
      return {
        ...state,
        engagements: state.engagements.map((e) => (e.id === event.data.engagementId ? { ...e, outcome: event.data.outcome } : e)),
      };
    case 'DossierClosed':
      return { ...state, status: 'CLOSED', outcome: event.data.outcome, closedAt: event.data.closedAt };
    default: {
      // Exhaustive at compile time; an unknown type at run time leaves the state as it is.
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}

function updateRecommendation(state: Dossier, recommendationId: string, change: (r: Recommendation) => Recommendation): Dossier {
  return { ...state, recommendations: state.recommendations.map((r) => (r.id === recommendationId ? change(r) : r)) };
}

// ---------- read helpers over the state ----------

/** Whether the dossier was opened. */
export function exists(state: DossierState): state is Dossier {
  return state.status !== 'NOT_CREATED';
}

export function isClosed(dossier: Pick<Dossier, 'status'>): boolean {
  return dossier.status === 'CLOSED';
}

/** ADOPTED, PARTIALLY_ADOPTED or REJECTED: the State answered, for good. */
export function isDecided(status: string): status is DecidedStatus {
  return (DECIDED_STATUSES as readonly string[]).includes(status);
}

/**
 * The step of a status in the lifecycle: ISSUED 0, ACKNOWLEDGED 1, UNDER_CONSIDERATION 2, and the
 * three decided statuses 3. A change goes to a later step (steps may be skipped), never back.
 */
export function statusStep(status: RecommendationStatus): number {
  return isDecided(status) ? 3 : RECOMMENDATION_STATUSES.indexOf(status);
}

export function findRecommendation(dossier: Pick<Dossier, 'recommendations'>, recommendationId: string): Recommendation | undefined {
  return dossier.recommendations.find((r) => r.id === recommendationId);
}

export function findEngagement(dossier: Pick<Dossier, 'engagements'>, engagementId: string): Engagement | undefined {
  return dossier.engagements.find((e) => e.id === engagementId);
}
