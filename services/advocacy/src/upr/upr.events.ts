import type { DomainEvent } from '@hrp/domain-kit';
import type { HumanRightsTag, UprResponse } from '@hrp/contracts';

/*
 * Advocacy — UPR recommendations received by Morocco (docs/domain.md, "Human-rights tags"): the
 * events of one recommendation's stream, the state they fold into, and its identity. Event data is
 * plain JSON; optional fields are absent, never null or undefined.
 *
 * Identity. A recommendation is identified by its cycle and its paragraph in the Working Group's
 * report on Morocco for that cycle (e.g. cycle 4, report A/HRC/52/7, paragraph 148.12): paragraph
 * numbers are unique within one report, and the State under review has one report per cycle. So:
 *
 * - the tag ref is `<cycle>-<paragraph>`, e.g. `4-148.12`; any context attaches
 *   `{ kind: 'UPR_RECOMMENDATION', ref: '4-148.12' }` (see `uprTag`);
 * - the stream id is `upr-<cycle>-<paragraph with . as _>`, e.g. `upr-4-148_12`: the same row
 *   always lands on the same stream, whoever imports it and however often.
 *
 * "148.1" and "148.10" are two recommendations (the first and the tenth), never one decimal number:
 * paragraphs are kept as the strings the report prints, and leading zeros are refused.
 */

/** Stream ids of UPR recommendations: `upr-<cycle>-<paragraph with . as _>`. */
export const UPR_ID_PREFIX = 'upr-';

/** A paragraph of a UPR report's recommendations section, e.g. `148.12` (no leading zeros). */
export const UPR_PARAGRAPH_PATTERN = '^[1-9][0-9]{0,3}\\.[1-9][0-9]{0,3}$';
const PARAGRAPH = new RegExp(UPR_PARAGRAPH_PATTERN);

/** `upr-<cycle>-<a>_<b>`, as `uprStreamId` makes it. */
export const UPR_ID_PATTERN = '^upr-[1-9]-[1-9][0-9]{0,3}_[1-9][0-9]{0,3}$';

/** `<cycle>-<paragraph>`, as `uprRef` makes it. */
export const UPR_REF_PATTERN = '^[1-9]-[1-9][0-9]{0,3}\\.[1-9][0-9]{0,3}$';
const REF = new RegExp(UPR_REF_PATTERN);

export function isUprParagraph(value: unknown): value is string {
  return typeof value === 'string' && PARAGRAPH.test(value);
}

/** The tag ref of a recommendation: `uprRef(4, '148.12')` is `4-148.12`. */
export function uprRef(cycle: number, paragraph: string): string {
  return `${cycle}-${paragraph}`;
}

/** The stream id of a recommendation: `uprStreamId(4, '148.12')` is `upr-4-148_12` (ids are `[A-Za-z0-9_-]`). */
export function uprStreamId(cycle: number, paragraph: string): string {
  return `${UPR_ID_PREFIX}${cycle}-${paragraph.replace('.', '_')}`;
}

/** The stream id of a tag ref (`4-148.12` → `upr-4-148_12`), or undefined when it is not a UPR ref. */
export function uprStreamIdOfRef(ref: string): string | undefined {
  if (!REF.test(ref)) return undefined;
  const [cycle, paragraph] = ref.split('-') as [string, string];
  return uprStreamId(Number(cycle), paragraph);
}

/** The tag that any context attaches to say "this is done on that recommendation". */
export function uprTag(ref: string): HumanRightsTag {
  return { kind: 'UPR_RECOMMENDATION', ref };
}

/** What a recommendation says, as the UN database has it: everything but its identity. */
export interface UprContent {
  /** The Working Group session of the review, e.g. 41 for Morocco's 4th cycle (November 2022). */
  readonly session: number;
  /** The recommendation as the report prints it (English), trimmed; line breaks as `\n`. */
  readonly text: string;
  /** As the database spells it, e.g. `United Kingdom of Great Britain and Northern Ireland`. */
  readonly recommendingState: string;
  readonly response: UprResponse;
  /** The database's themes (issues), in their first order; compared as a set. */
  readonly themes: readonly string[];
}

// ---------- events ----------

export type UprRecommendationImported = DomainEvent<
  'UprRecommendationImported',
  UprContent & {
    readonly uprId: string;
    readonly ref: string;
    readonly cycle: number;
    readonly paragraph: string;
    /** The line of the file the row started on, when it came from one (provenance, not identity). */
    readonly sourceLine?: number;
  }
>;

/**
 * A later import differs from what was imported: the changed fields only, with their new values (at
 * least one). Typically the State's response changed (a NOTED recommendation supported at
 * mid-term), or the database corrected a text, a recommending State or the themes.
 */
export type UprRecommendationRevised = DomainEvent<
  'UprRecommendationRevised',
  Partial<UprContent> & { readonly uprId: string; readonly ref: string; readonly sourceLine?: number }
>;

export type UprEvent = UprRecommendationImported | UprRecommendationRevised;

export type UprEventType = UprEvent['type'];

/** Every event type of the stream, in lifecycle order (the registry registers exactly these). */
export const UPR_EVENT_TYPES = ['UprRecommendationImported', 'UprRecommendationRevised'] as const satisfies readonly UprEventType[];

// ---------- state ----------

/** An imported recommendation. JSON-safe, so that it can be snapshotted. */
export interface UprRecommendation extends UprContent {
  readonly status: 'IMPORTED';
  readonly id: string;
  readonly ref: string;
  readonly cycle: number;
  readonly paragraph: string;
}

export interface NoUprRecommendation {
  readonly status: 'NOT_IMPORTED';
}

export type UprState = NoUprRecommendation | UprRecommendation;

/** Bump when `evolve` or the state's shape changes (stale snapshots are then rebuilt). */
export const UPR_STATE_SCHEMA_VERSION = 1;

export function initialState(): UprState {
  return { status: 'NOT_IMPORTED' };
}

export function evolve(state: UprState, event: UprEvent): UprState {
  switch (event.type) {
    case 'UprRecommendationImported': {
      const { uprId, sourceLine: _line, ...fields } = event.data;
      return { status: 'IMPORTED', id: uprId, ...fields };
    }
    case 'UprRecommendationRevised': {
      // A revision of nothing is a broken history: ignore it rather than invent a recommendation.
      if (!exists(state)) return state;
      const { uprId: _id, ref: _ref, sourceLine: _line, ...changes } = event.data;
      return { ...state, ...changes };
    }
    default: {
      // Exhaustive at compile time; an unknown type at run time leaves the state as it is.
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}

/** Whether the recommendation was imported. */
export function exists(state: UprState): state is UprRecommendation {
  return state.status === 'IMPORTED';
}
