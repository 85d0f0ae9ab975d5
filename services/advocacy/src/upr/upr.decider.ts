import type { Command, Decider } from '@hrp/domain-kit';
import { ValidationError, assertNever } from '@hrp/domain-kit';
import type { UprResponse } from '@hrp/contracts';
import { UPR_RESPONSES } from '@hrp/contracts';
import type { UprContent, UprEvent, UprRecommendation, UprState } from './upr.events';
import { UPR_STATE_SCHEMA_VERSION, evolve, exists, initialState, isUprParagraph, uprRef, uprStreamId } from './upr.events';

/**
 * Stable ids of the rules of UPR imports. None is an `IllegalStateError` of `decide` (an import is
 * create-or-update: no state refuses it); they name the refusals of the importers (the CSV parser,
 * the resolver), carried by their per-row errors.
 */
export const UprRules = {
  /** The same recommendation (cycle and paragraph) twice in one file, with different content. */
  duplicateInFile: 'advocacy.upr.import.duplicate-in-file',
  /** A session outside the cycle's sessions (e.g. session 30 in cycle 4). */
  sessionOutsideCycle: 'advocacy.upr.session-outside-cycle',
  /** A row about another State under review than the platform's (Morocco). */
  otherStateUnderReview: 'advocacy.upr.import.other-state-under-review',
  /** More rows in one import request than `UprLimits.maxRowsPerImport`. */
  tooManyRows: 'advocacy.upr.import.too-many-rows',
} as const;
export type UprRule = (typeof UprRules)[keyof typeof UprRules];

/** Limits of the inputs (characters are Unicode code points). */
export const UprLimits = {
  maxCycle: 9,
  maxSession: 200,
  /** The longest recommendations of the database run to about 1,500 characters. */
  textMaxLength: 5000,
  recommendingStateMaxLength: 200,
  maxThemes: 30,
  themeMaxLength: 200,
  maxSourceLine: 10_000_000,
  /** Rows per `importUprRecommendations` call (the CLI sends batches below it). */
  maxRowsPerImport: 500,
} as const;

/**
 * The Working Group sessions of each cycle: 1st cycle sessions 1–12 (2008–2011), 2nd 13–26
 * (2012–2016), 3rd 27–40 (2017–2022), 4th 41–54 (from November 2022). Later cycles are not
 * scheduled yet: their sessions only come after the 4th's.
 */
export const UPR_CYCLE_SESSIONS: Readonly<Record<number, readonly [number, number]>> = {
  1: [1, 12],
  2: [13, 26],
  3: [27, 40],
  4: [41, 54],
};

/** The sessions a cycle may hold, as `[first, last]`. */
export function sessionsOfCycle(cycle: number): readonly [number, number] {
  return UPR_CYCLE_SESSIONS[cycle] ?? [55, UprLimits.maxSession];
}

// ---------- commands ----------

/** A recommendation's identity and content, as an importer hands them over (before validation). */
export interface UprRecommendationInput {
  readonly cycle: number;
  readonly session: number;
  /** As the report prints it, e.g. `148.12`. */
  readonly paragraph: string;
  readonly text: string;
  readonly recommendingState: string;
  readonly response: UprResponse;
  readonly themes: readonly string[];
  /** The file's line the row started on (provenance, never compared). */
  readonly sourceLine?: number | null;
}

/**
 * Create-or-update: imported on a new stream, revised where it differs, ignored where it does not
 * (re-importing the same file changes nothing). `uprId` must be `uprStreamId(cycle, paragraph)`.
 */
export type ImportUprRecommendation = Command<'ImportUprRecommendation', UprRecommendationInput & { readonly uprId: string }>;

export type UprCommand = ImportUprRecommendation;

// ---------- decide ----------

export function decide(command: UprCommand, state: UprState): UprEvent[] {
  switch (command.type) {
    case 'ImportUprRecommendation':
      return importRecommendation(command, state);
    default:
      return assertNever(command.type);
  }
}

function importRecommendation(command: ImportUprRecommendation, state: UprState): UprEvent[] {
  const { uprId, ...input } = command.data;
  const checked = checkUprRecommendation(input);
  if (!checked.ok) {
    const [first] = checked.errors;
    throw new ValidationError(first.message, first.field);
  }
  const r = checked.value;
  const expectedId = uprStreamId(r.cycle, r.paragraph);
  if (uprId !== expectedId) {
    throw new ValidationError(
      `uprId must be ${expectedId} (cycle ${r.cycle}, paragraph ${r.paragraph}), got ${JSON.stringify(uprId)}`,
      'uprId',
    );
  }
  const line = r.sourceLine !== undefined ? { sourceLine: r.sourceLine } : {};
  const ref = uprRef(r.cycle, r.paragraph);

  if (!exists(state)) {
    const { sourceLine: _line, ...fields } = r;
    return [{ type: 'UprRecommendationImported', data: { uprId, ref, ...fields, ...line } }];
  }
  const changes = changedContent(state, r);
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'UprRecommendationRevised', data: { uprId, ref, ...changes, ...line } }];
}

/** The content fields whose values differ, with the new values. Themes are compared as a set. */
export function changedContent(was: UprRecommendation, now: UprContent): Partial<UprContent> {
  return {
    ...(now.session !== was.session ? { session: now.session } : {}),
    ...(now.text !== was.text ? { text: now.text } : {}),
    ...(now.recommendingState !== was.recommendingState ? { recommendingState: now.recommendingState } : {}),
    ...(now.response !== was.response ? { response: now.response } : {}),
    ...(!sameSet(now.themes, was.themes) ? { themes: now.themes } : {}),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

// ---------- validation (shared with the importers: every field's error, not the first) ----------

/** A field of `UprRecommendationInput` that is wrong, and why. */
export interface UprFieldError {
  readonly field: keyof UprRecommendationInput;
  readonly message: string;
  readonly rule?: UprRule;
}

/** A recommendation as it is stored: normalised, every field checked. */
export interface CheckedUprRecommendation extends UprContent {
  readonly cycle: number;
  readonly paragraph: string;
  readonly sourceLine?: number;
}

export type UprCheck =
  { readonly ok: true; readonly value: CheckedUprRecommendation } | { readonly ok: false; readonly errors: UprFieldError[] };

/**
 * Checks and normalises a recommendation, reporting every wrong field (an importer shows them all
 * for a row). Normalisation: texts in NFC and trimmed, line breaks as `\n`; the recommending
 * State's and the themes' inner blanks collapsed; themes de-duplicated, blank ones dropped.
 */
export function checkUprRecommendation(input: Partial<Record<keyof UprRecommendationInput, unknown>>): UprCheck {
  const errors: UprFieldError[] = [];
  const fail = (field: UprFieldError['field'], message: string, rule?: UprRule): undefined => {
    errors.push({ field, message, ...(rule ? { rule } : {}) });
    return undefined;
  };

  const cycle =
    integerIn(input.cycle, 1, UprLimits.maxCycle) ??
    fail('cycle', `cycle must be a whole number from 1 to ${UprLimits.maxCycle}, got ${show(input.cycle)}`);
  let session =
    integerIn(input.session, 1, UprLimits.maxSession) ??
    fail('session', `session must be a whole number from 1 to ${UprLimits.maxSession}, got ${show(input.session)}`);
  if (cycle !== undefined && session !== undefined) {
    const [first, last] = sessionsOfCycle(cycle);
    if (session < first || session > last) {
      session = fail(
        'session',
        `session ${session} is not a session of cycle ${cycle} (sessions ${first} to ${last})`,
        UprRules.sessionOutsideCycle,
      );
    }
  }
  const paragraph = isUprParagraph(input.paragraph)
    ? input.paragraph
    : fail('paragraph', `paragraph must be the report's number such as 148.12 (no leading zeros), got ${show(input.paragraph)}`);
  const text =
    boundedText(input.text, UprLimits.textMaxLength, false) ??
    fail('text', `text must be a non-blank string of at most ${UprLimits.textMaxLength} characters`);
  const recommendingState =
    boundedText(input.recommendingState, UprLimits.recommendingStateMaxLength, true) ??
    fail('recommendingState', `recommendingState must be a non-blank string of at most ${UprLimits.recommendingStateMaxLength} characters`);
  const response = (UPR_RESPONSES as readonly unknown[]).includes(input.response)
    ? (input.response as UprResponse)
    : fail('response', `response must be ${UPR_RESPONSES.join(' or ')}, got ${show(input.response)}`);
  const themes = checkThemes(input.themes, (message) => fail('themes', message));
  const sourceLine =
    input.sourceLine === undefined || input.sourceLine === null
      ? undefined
      : (integerIn(input.sourceLine, 1, UprLimits.maxSourceLine) ??
        fail('sourceLine', `sourceLine must be a line number, got ${show(input.sourceLine)}`));

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      cycle: cycle!,
      session: session!,
      paragraph: paragraph!,
      text: text!,
      recommendingState: recommendingState!,
      response: response!,
      themes: themes!,
      ...(sourceLine !== undefined ? { sourceLine } : {}),
    },
  };
}

function checkThemes(value: unknown, fail: (message: string) => undefined): string[] | undefined {
  if (!Array.isArray(value)) return fail('themes must be a list of strings');
  const themes: string[] = [];
  for (const t of value as unknown[]) {
    if (typeof t !== 'string') return fail('themes must be a list of strings');
    const theme = oneLine(t);
    if (theme.length === 0) continue;
    if ([...theme].length > UprLimits.themeMaxLength) return fail(`a theme is longer than ${UprLimits.themeMaxLength} characters`);
    if (!themes.includes(theme)) themes.push(theme);
  }
  if (themes.length > UprLimits.maxThemes) return fail(`at most ${UprLimits.maxThemes} themes, got ${themes.length}`);
  return themes;
}

function integerIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/** NFC, trimmed, line breaks as `\n`; `collapse` also makes every run of blanks one space. */
function boundedText(value: unknown, maxLength: number, collapse: boolean): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = collapse ? oneLine(value) : value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  return text.length > 0 && [...text].length <= maxLength ? text : undefined;
}

function oneLine(value: string): string {
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// ---------- the decider ----------

export const uprDecider: Decider<UprCommand, UprEvent, UprState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: UPR_STATE_SCHEMA_VERSION,
};
