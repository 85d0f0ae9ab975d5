import type { ImportUprRecommendation, UprRecommendationInput } from './upr.decider';
import { UprRules, checkUprRecommendation } from './upr.decider';
import { uprRef, uprStreamId } from './upr.events';

/*
 * Rows of an import, as the CSV parser produces them and `importUprRecommendations` receives them
 * (GraphQL `UprRecommendationRowInput`), and their check: the parser runs it on the file, the
 * resolver again on what it receives (it never trusts the client). A row with any error is refused
 * whole; the others go on. Pure: no framework, no I/O.
 */

/** One row: a recommendation and the line of the file it starts on. */
export interface UprRowInput {
  readonly line: number;
  readonly cycle: number;
  readonly session: number;
  readonly paragraph: string;
  readonly text: string;
  readonly recommendingState: string;
  /** SUPPORTED or NOTED; a string here so that a wrong value is reported on its line. */
  readonly response: string;
  readonly themes: readonly string[];
}

/** Why a row was refused: its line, the column (when one is to blame) and the rule (when one applies). */
export interface UprImportRowError {
  readonly line: number;
  readonly column?: string;
  readonly message: string;
  readonly rule?: string;
}

/** What an import did, per recommendation, and the rows it refused. */
export interface UprImportReport {
  readonly created: number;
  readonly revised: number;
  readonly unchanged: number;
  readonly errors: readonly UprImportRowError[];
}

/** A row that passed: the command's data, ready for `ImportUprRecommendation`. */
export interface CheckedUprRow {
  readonly line: number;
  readonly data: ImportUprRecommendation['data'];
}

export interface UprRowsCheck {
  readonly valid: CheckedUprRow[];
  /** Lines that repeat an earlier row of the same request exactly: skipped, not errors. */
  readonly duplicates: number[];
  readonly errors: UprImportRowError[];
}

/** The fields of a row, as `checkUprRecommendation` names them. */
export type UprRowField = keyof UprRecommendationInput | 'line';

/**
 * Checks each row with the decider's own check, then refuses a second row for the same
 * recommendation (cycle and paragraph) unless it is the same content, which is skipped.
 * `columnOf` names a field as the caller's user sees it (a CSV header, a GraphQL field).
 * `known` are errors found before (e.g. a cell that is not a number) by line: a row with one is
 * refused, and its fields with an error already are not reported twice.
 */
export function checkUprRows(
  rows: readonly Partial<Record<keyof UprRowInput, unknown>>[],
  columnOf: (field: UprRowField) => string = (field) => field,
  known: ReadonlyMap<number, readonly (UprImportRowError & { field?: UprRowField })[]> = new Map(),
): UprRowsCheck {
  const valid: CheckedUprRow[] = [];
  const duplicates: number[] = [];
  const errors: UprImportRowError[] = [];
  const seen = new Map<string, CheckedUprRow>();

  for (const row of rows) {
    const line = row.line;
    if (typeof line !== 'number' || !Number.isInteger(line) || line < 1) {
      errors.push({
        line: typeof line === 'number' && Number.isFinite(line) ? line : 0,
        column: columnOf('line'),
        message: 'line must be a positive line number',
      });
      continue;
    }
    const before = known.get(line) ?? [];
    const blamed = new Set(before.map((e) => e.field));
    const { line: _line, ...fields } = row;
    const checked = checkUprRecommendation({ ...fields, sourceLine: line });
    const rowErrors: UprImportRowError[] = [
      ...before.map(({ field: _field, ...e }) => e),
      ...(checked.ok
        ? []
        : checked.errors.filter((e) => !blamed.has(e.field)).map((e) => rowError(line, columnOf(e.field), e.message, e.rule))),
    ];
    if (rowErrors.length > 0 || !checked.ok) {
      errors.push(...rowErrors);
      continue;
    }
    const r = checked.value;
    const data: ImportUprRecommendation['data'] = { uprId: uprStreamId(r.cycle, r.paragraph), ...r };
    const earlier = seen.get(data.uprId);
    if (earlier === undefined) {
      seen.set(data.uprId, { line, data });
      valid.push({ line, data });
    } else if (sameContent(earlier.data, data)) {
      duplicates.push(line);
    } else {
      errors.push(
        rowError(
          line,
          columnOf('paragraph'),
          `recommendation ${uprRef(r.cycle, r.paragraph)} is already on line ${earlier.line} with different content`,
          UprRules.duplicateInFile,
        ),
      );
    }
  }
  return { valid, duplicates, errors: errors.sort((a, b) => a.line - b.line) };
}

function rowError(line: number, column: string, message: string, rule?: string): UprImportRowError {
  return { line, column, message, ...(rule ? { rule } : {}) };
}

function sameContent(a: ImportUprRecommendation['data'], b: ImportUprRecommendation['data']): boolean {
  return (
    a.session === b.session &&
    a.text === b.text &&
    a.recommendingState === b.recommendingState &&
    a.response === b.response &&
    a.themes.length === b.themes.length &&
    a.themes.every((t) => b.themes.includes(t))
  );
}

/** The row as GraphQL's `UprRecommendationRowInput` takes it, from a checked row. */
export function rowInputOf(row: CheckedUprRow): UprRowInput {
  const { cycle, session, paragraph, text, recommendingState, response, themes } = row.data;
  return { line: row.line, cycle, session, paragraph, text, recommendingState, response, themes: [...themes] };
}
