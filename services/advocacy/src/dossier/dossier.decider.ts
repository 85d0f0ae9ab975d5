import type { Command, Decider } from '@hrp/domain-kit';
import { IllegalStateError, NotFoundError, ValidationError, assertNever } from '@hrp/domain-kit';
import type { HumanRightsTag, LocalizedText } from '@hrp/contracts';
import { isHumanRightsTag, schemaIssues, validateLocalizedText } from '@hrp/contracts';
import type {
  ChangeStatus,
  Dossier,
  DossierEvent,
  DossierState,
  DossierTarget,
  Engagement,
  EngagementKind,
  Evidence,
  Recommendation,
  RecommendationSource,
} from './dossier.events';
import {
  CHANGE_STATUSES,
  DOSSIER_ID_PREFIX,
  DOSSIER_STATE_SCHEMA_VERSION,
  DOSSIER_TARGETS,
  ENGAGEMENT_ID_PREFIX,
  ENGAGEMENT_KINDS,
  RECOMMENDATION_ID_PREFIX,
  RECOMMENDATION_SOURCES,
  evolve,
  exists,
  findEngagement,
  findRecommendation,
  initialState,
  isClosed,
  isDecided,
  statusStep,
} from './dossier.events';

/** Stable ids of the business rules, carried by `IllegalStateError.rule` (GraphQL `extensions.rule`). */
export const DossierRules = {
  /**
   * Closed: every command is refused but a recommendation's change of status. The State's answer
   * often comes after the dossier's work ended (a law adopted a year later), and ADV-02 counts it.
   */
  closed: 'advocacy.dossier.closed',
  openAlreadyExists: 'advocacy.dossier.open.already-exists',
  /** A change goes forward in ISSUED -> ACKNOWLEDGED -> UNDER_CONSIDERATION -> decided (steps may be skipped), never back. */
  statusBackwards: 'advocacy.recommendation.status.backwards',
  /** ADOPTED, PARTIALLY_ADOPTED and REJECTED are final: a decided recommendation keeps its status. */
  statusDecided: 'advocacy.recommendation.status.decided',
  /** The status was already recorded with other evidence (the same evidence again is a no-op). */
  statusAlreadyRecorded: 'advocacy.recommendation.status.already-recorded',
  /** The evidence is dated before the recommendation's issue date. */
  evidenceBeforeIssue: 'advocacy.recommendation.evidence.before-issue',
  /** The evidence is dated before the evidence of the previous change: the history stays in date order. */
  evidenceBeforePrevious: 'advocacy.recommendation.evidence.before-previous',
} as const;
export type DossierRule = (typeof DossierRules)[keyof typeof DossierRules];

/** Limits of the inputs (characters are Unicode code points). */
export const DossierLimits = {
  idMaxLength: 200,
  topicMaxLength: 300,
  objectiveMaxLength: 2000,
  maxInstruments: 30,
  instrumentMaxLength: 100,
  maxThemes: 20,
  themeMaxLength: 100,
  maxTags: 50,
  /** A UPR cycle alone brings some 300 recommendations to one State. */
  maxRecommendations: 1000,
  recommendationMaxLength: 4000,
  addresseeMaxLength: 300,
  referenceMaxLength: 300,
  maxEngagements: 1000,
  maxStakeholders: 50,
  stakeholderMaxLength: 300,
  outcomeMaxLength: 4000,
} as const;

// ---------- commands (one per GraphQL mutation) ----------

/** `LocalizedTextInput` as GraphQL hands it over (null translations are dropped). */
export interface LocalizedTextInput {
  readonly fr: string;
  readonly ar?: string | null;
  readonly en?: string | null;
  readonly zgh?: string | null;
}

/** Optional inputs accept null as absent, as GraphQL sends them. */
export type OpenDossier = Command<
  'OpenDossier',
  {
    /** The stream id, `dossier-<uuid>` (see `dossierStreamId`). */
    readonly dossierId: string;
    readonly topic: LocalizedTextInput;
    readonly target: DossierTarget;
    /** Free references (UDHR, ICCPR, … and national texts), trimmed, distinct. */
    readonly instruments?: readonly string[] | null;
    readonly themes?: readonly string[] | null;
    readonly objective?: LocalizedTextInput | null;
    readonly tags?: readonly HumanRightsTag[] | null;
  }
>;

export type IssueRecommendation = Command<
  'IssueRecommendation',
  {
    readonly dossierId: string;
    /** Fresh, drawn by the adapter: `recommendation-<uuid>` (see `recommendationIdFrom`). */
    readonly recommendationId: string;
    readonly text: LocalizedTextInput;
    /** The institution it is addressed to. */
    readonly addressee: string;
    readonly source: RecommendationSource;
    /** YYYY-MM-DD, not after the day of `metadata.now`. */
    readonly issuedOn: string;
    readonly tags?: readonly HumanRightsTag[] | null;
  }
>;

export type ChangeRecommendationStatus = Command<
  'ChangeRecommendationStatus',
  {
    readonly dossierId: string;
    readonly recommendationId: string;
    readonly status: ChangeStatus;
    /** `date`: YYYY-MM-DD, not after the day of `metadata.now` (the adapter gives today when the user gave none). */
    readonly evidence: Evidence;
  }
>;

export type LogEngagement = Command<
  'LogEngagement',
  {
    readonly dossierId: string;
    /** Fresh, drawn by the adapter: `engagement-<uuid>` (see `engagementIdFrom`). */
    readonly engagementId: string;
    readonly kind: EngagementKind;
    /** YYYY-MM-DD, not after the day of `metadata.now`: an engagement is logged once it took place. */
    readonly date: string;
    /** Institutions (never private persons), at least one. */
    readonly stakeholders: readonly string[];
    readonly outcome?: string | null;
  }
>;

export type RecordEngagementOutcome = Command<
  'RecordEngagementOutcome',
  { readonly dossierId: string; readonly engagementId: string; readonly outcome: string }
>;

export type CloseDossier = Command<'CloseDossier', { readonly dossierId: string; readonly outcome: string }>;

export type DossierCommand =
  OpenDossier | IssueRecommendation | ChangeRecommendationStatus | LogEngagement | RecordEngagementOutcome | CloseDossier;

// ---------- decide ----------

export function decide(command: DossierCommand, state: DossierState): DossierEvent[] {
  switch (command.type) {
    case 'OpenDossier':
      return open(command, state);
    case 'IssueRecommendation':
      return issueRecommendation(command, state);
    case 'ChangeRecommendationStatus':
      return changeStatus(command, state);
    case 'LogEngagement':
      return logEngagement(command, state);
    case 'RecordEngagementOutcome':
      return recordEngagementOutcome(command, state);
    case 'CloseDossier':
      return close(command, state);
    default:
      return assertNever(command);
  }
}

/** The dossier, refused as NOT_FOUND when it does not exist. */
function existing(state: DossierState, dossierId: string): Dossier {
  if (!exists(state)) throw new NotFoundError('AdvocacyDossier', dossierId);
  return state;
}

/** The dossier, refused when it does not exist (NOT_FOUND) or is closed. */
function openDossier(state: DossierState, dossierId: string): Dossier {
  const dossier = existing(state, dossierId);
  if (isClosed(dossier)) throw new IllegalStateError(DossierRules.closed, `dossier ${dossier.id} is closed to changes`);
  return dossier;
}

// ---------- lifecycle ----------

function open(command: OpenDossier, state: DossierState): DossierEvent[] {
  const d = command.data;
  const dossierId = validatePrefixedId(d.dossierId, 'dossierId', DOSSIER_ID_PREFIX);
  const topic = validateText(d.topic, 'topic', DossierLimits.topicMaxLength);
  const target = validateEnum<DossierTarget>(d.target, DOSSIER_TARGETS, 'target');
  const instruments = validateList(d.instruments ?? [], 'instruments', DossierLimits.maxInstruments, DossierLimits.instrumentMaxLength);
  const themes = validateList(d.themes ?? [], 'themes', DossierLimits.maxThemes, DossierLimits.themeMaxLength);
  const objective = isGiven(d.objective) ? validateText(d.objective, 'objective', DossierLimits.objectiveMaxLength) : undefined;
  const tags = validateTags(d.tags ?? []);

  // A second opening is refused rather than ignored: its fields would be silently lost.
  if (exists(state)) throw new IllegalStateError(DossierRules.openAlreadyExists, `dossier ${state.id} already exists`);
  return [
    {
      type: 'DossierOpened',
      data: {
        dossierId,
        topic,
        target,
        instruments,
        themes,
        ...(objective !== undefined ? { objective } : {}),
        tags,
        openedAt: command.metadata.now,
      },
    },
  ];
}

/**
 * Closing records the outcome of the advocacy; recommendations still awaiting the State's answer
 * do not block it (their changes of status are still recorded afterwards). Closing twice is
 * refused as `closed`.
 */
function close(command: CloseDossier, state: DossierState): DossierEvent[] {
  const outcome = validateShortText(command.data.outcome, 'outcome', DossierLimits.outcomeMaxLength);
  const dossier = openDossier(state, command.data.dossierId);
  return [{ type: 'DossierClosed', data: { dossierId: dossier.id, outcome, closedAt: command.metadata.now } }];
}

// ---------- recommendations ----------

function issueRecommendation(command: IssueRecommendation, state: DossierState): DossierEvent[] {
  const d = command.data;
  const recommendationId = validatePrefixedId(d.recommendationId, 'recommendationId', RECOMMENDATION_ID_PREFIX);
  const text = validateText(d.text, 'text', DossierLimits.recommendationMaxLength);
  const addressee = validateShortText(d.addressee, 'addressee', DossierLimits.addresseeMaxLength);
  const source = validateEnum<RecommendationSource>(d.source, RECOMMENDATION_SOURCES, 'source');
  const issuedOn = validatePastDate(d.issuedOn, 'issuedOn', command.metadata.now);
  const tags = validateTags(d.tags ?? []);

  const dossier = openDossier(state, d.dossierId);
  const already = findRecommendation(dossier, recommendationId);
  if (already !== undefined) {
    // The same command again (a retry after an unknown outcome) is a no-op; another use of the id is an adapter bug.
    if (sameRecommendation(already, { text, addressee, source, issuedOn, tags })) return [];
    throw new Error(`recommendation id ${recommendationId} is already used in ${dossier.id}`);
  }
  if (dossier.recommendations.length >= DossierLimits.maxRecommendations) {
    throw new ValidationError(`a dossier holds at most ${DossierLimits.maxRecommendations} recommendations`, 'recommendationId');
  }
  return [
    {
      type: 'RecommendationIssued',
      data: { dossierId: dossier.id, recommendationId, text, addressee, source, issuedOn, tags, recordedAt: command.metadata.now },
    },
  ];
}

/**
 * Forward only: ISSUED -> ACKNOWLEDGED -> UNDER_CONSIDERATION -> ADOPTED | PARTIALLY_ADOPTED |
 * REJECTED, and any step may be skipped (a State may adopt without acknowledging first). Going
 * back is refused; a decided recommendation keeps its status; the same status with the same
 * evidence is a no-op, with other evidence it is refused. The evidence is dated between the issue
 * date (or the previous change's evidence) and today. Allowed on a closed dossier (see `closed`).
 */
function changeStatus(command: ChangeRecommendationStatus, state: DossierState): DossierEvent[] {
  const d = command.data;
  const to = validateEnum<ChangeStatus>(d.status, CHANGE_STATUSES, 'status');
  const evidence = validateEvidence(d.evidence, command.metadata.now);

  const dossier = existing(state, d.dossierId);
  const recommendation = recommendationOf(dossier, d.recommendationId);
  const from = recommendation.status;
  const last = recommendation.history[recommendation.history.length - 1];
  if (to === from) {
    if (last.evidence !== undefined && sameEvidence(last.evidence, evidence)) return [];
    throw new IllegalStateError(
      DossierRules.statusAlreadyRecorded,
      `recommendation ${recommendation.id} is already ${from}, on the evidence of ${last.evidence?.reference ?? 'its issue'}`,
    );
  }
  if (isDecided(from)) {
    throw new IllegalStateError(DossierRules.statusDecided, `recommendation ${recommendation.id} is ${from}: it cannot become ${to}`);
  }
  if (statusStep(to) < statusStep(from)) {
    throw new IllegalStateError(DossierRules.statusBackwards, `recommendation ${recommendation.id} is ${from}: it cannot go back to ${to}`);
  }
  if (evidence.date < recommendation.issuedOn) {
    throw new IllegalStateError(
      DossierRules.evidenceBeforeIssue,
      `the evidence is dated ${evidence.date}, before the recommendation's issue on ${recommendation.issuedOn}`,
    );
  }
  if (last.evidence !== undefined && evidence.date < last.evidence.date) {
    throw new IllegalStateError(
      DossierRules.evidenceBeforePrevious,
      `the evidence is dated ${evidence.date}, before the evidence of ${from} (${last.evidence.date})`,
    );
  }
  return [
    {
      type: 'RecommendationStatusChanged',
      data: { dossierId: dossier.id, recommendationId: recommendation.id, from, to, evidence, recordedAt: command.metadata.now },
    },
  ];
}

function recommendationOf(dossier: Dossier, recommendationId: string): Recommendation {
  const recommendation = findRecommendation(dossier, recommendationId);
  if (recommendation === undefined) throw new NotFoundError('Recommendation', recommendationId);
  return recommendation;
}

// ---------- engagements ----------

function logEngagement(command: LogEngagement, state: DossierState): DossierEvent[] {
  const d = command.data;
  const engagementId = validatePrefixedId(d.engagementId, 'engagementId', ENGAGEMENT_ID_PREFIX);
  const kind = validateEnum<EngagementKind>(d.kind, ENGAGEMENT_KINDS, 'kind');
  const date = validatePastDate(d.date, 'date', command.metadata.now);
  const stakeholders = validateList(d.stakeholders, 'stakeholders', DossierLimits.maxStakeholders, DossierLimits.stakeholderMaxLength);
  if (stakeholders.length === 0) throw new ValidationError('an engagement names at least one institution', 'stakeholders');
  const outcome = isGiven(d.outcome) ? validateShortText(d.outcome, 'outcome', DossierLimits.outcomeMaxLength) : undefined;

  const dossier = openDossier(state, d.dossierId);
  const engagement: Engagement = { id: engagementId, kind, date, stakeholders, ...(outcome !== undefined ? { outcome } : {}) };
  const already = findEngagement(dossier, engagementId);
  if (already !== undefined) {
    // The same command again (a retry after an unknown outcome) is a no-op; another use of the id is an adapter bug.
    if (sameEngagement(already, engagement)) return [];
    throw new Error(`engagement id ${engagementId} is already used in ${dossier.id}`);
  }
  if (dossier.engagements.length >= DossierLimits.maxEngagements) {
    throw new ValidationError(`a dossier holds at most ${DossierLimits.maxEngagements} engagements`, 'engagementId');
  }
  const { id: _id, ...fields } = engagement;
  return [{ type: 'EngagementLogged', data: { dossierId: dossier.id, engagementId, ...fields } }];
}

/** Sets or replaces the outcome; the same outcome again is a no-op. */
function recordEngagementOutcome(command: RecordEngagementOutcome, state: DossierState): DossierEvent[] {
  const outcome = validateShortText(command.data.outcome, 'outcome', DossierLimits.outcomeMaxLength);
  const dossier = openDossier(state, command.data.dossierId);
  const engagement = findEngagement(dossier, command.data.engagementId);
  if (engagement === undefined) throw new NotFoundError('Engagement', command.data.engagementId);
  if (engagement.outcome === outcome) return [];
  return [{ type: 'EngagementOutcomeRecorded', data: { dossierId: dossier.id, engagementId: engagement.id, outcome } }];
}

// ---------- input validation (ValidationError names the field) ----------

const ID_SUFFIX = '[A-Za-z0-9_-]{1,100}';

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function validatePrefixedId(value: unknown, field: string, prefix: string): string {
  if (typeof value !== 'string' || !new RegExp(`^${prefix}${ID_SUFFIX}$`).test(value)) {
    throw new ValidationError(`${field} must be ${prefix}<id> (letters, digits, - and _), got ${JSON.stringify(value)}`, field);
  }
  return value;
}

function validateText(value: unknown, field: string, maxLength: number): LocalizedText {
  return validateLocalizedText(value, { field, maxLength });
}

function validateShortText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new ValidationError(`${field} must be a non-blank string`, field);
  const text = value.trim();
  if ([...text].length > maxLength) throw new ValidationError(`${field} is longer than ${maxLength} characters`, field);
  return text;
}

function validateEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, field);
  }
  return value as T;
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

/** Trimmed, non-blank, distinct strings. */
function validateList(values: unknown, field: string, max: number, maxLength: number): string[] {
  const list = validateArray(values, field, max).map((v) => validateShortText(v, field, maxLength));
  rejectDuplicates(list, field);
  return list;
}

const DATE_SCHEMA = { type: 'string', format: 'date' } as const;

/** YYYY-MM-DD naming a real day; such dates compare correctly as strings. */
function validateDate(value: unknown, field: string): string {
  if (schemaIssues(DATE_SCHEMA, value).length > 0) {
    throw new ValidationError(`${field} must be a calendar date (YYYY-MM-DD), got ${JSON.stringify(value)}`, field);
  }
  return value as string;
}

/** A date not after the UTC day of `now` (the command's metadata). */
function validatePastDate(value: unknown, field: string, now: string): string {
  const date = validateDate(value, field);
  const today = dayOf(now);
  if (date > today) throw new ValidationError(`${field} ${date} is in the future (today is ${today})`, field);
  return date;
}

/** The UTC day of an ISO 8601 instant (the command's `now`). */
function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

function validateEvidence(value: unknown, now: string): Evidence {
  if (typeof value !== 'object' || value === null) throw new ValidationError('evidence must be { reference, date }', 'evidence');
  const { reference, date } = value as Record<string, unknown>;
  return {
    reference: validateShortText(reference, 'evidence.reference', DossierLimits.referenceMaxLength),
    date: validatePastDate(date, 'evidence.date', now),
  };
}

function validateTags(values: unknown): HumanRightsTag[] {
  const tags = validateArray(values, 'tags', DossierLimits.maxTags).map((v) => {
    if (!isHumanRightsTag(v)) throw new ValidationError('each tag needs a known kind and a non-blank ref', 'tags');
    const ref = v.ref.trim();
    if ([...ref].length > DossierLimits.idMaxLength)
      throw new ValidationError(`a tag ref is longer than ${DossierLimits.idMaxLength}`, 'tags');
    return { kind: v.kind, ref };
  });
  rejectDuplicates(
    tags.map((t) => `${t.kind} ${t.ref}`),
    'tags',
  );
  return tags;
}

// ---------- comparisons (for the no-ops of commands sent again) ----------

function sameText(a: LocalizedText, b: LocalizedText): boolean {
  return a.fr === b.fr && a.ar === b.ar && a.en === b.en && a.zgh === b.zgh;
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}

function sameRecommendation(
  r: Recommendation,
  given: Pick<Recommendation, 'text' | 'addressee' | 'source' | 'issuedOn' | 'tags'>,
): boolean {
  return (
    sameText(r.text, given.text) &&
    r.addressee === given.addressee &&
    r.source === given.source &&
    r.issuedOn === given.issuedOn &&
    sameList(r.tags, given.tags, (x, y) => x.kind === y.kind && x.ref === y.ref)
  );
}

function sameEngagement(a: Engagement, b: Engagement): boolean {
  return a.kind === b.kind && a.date === b.date && a.outcome === b.outcome && sameList(a.stakeholders, b.stakeholders, (x, y) => x === y);
}

function sameEvidence(a: Evidence, b: Evidence): boolean {
  return a.reference === b.reference && a.date === b.date;
}

// ---------- the decider ----------

export const dossierDecider: Decider<DossierCommand, DossierEvent, DossierState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: DOSSIER_STATE_SCHEMA_VERSION,
};
