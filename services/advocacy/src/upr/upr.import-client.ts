import type { UprImportReport, UprImportRowError, UprRowInput } from './upr.rows';

/*
 * The CLI's logic, without the CLI: rows go in batches to `importUprRecommendations`, the reports
 * are merged with the parser's own refusals, and the outcome decides the exit code. Pure but for
 * the `send` it is given (the GraphQL call), so it is unit-tested with a fake.
 */

/** Rows per request: well under the server's 500 and the gateway's request body limit (100 kB). */
export const DEFAULT_BATCH_SIZE = 100;

/** The mutation the CLI sends (variables: `rows`). */
export const IMPORT_UPR_MUTATION = `mutation ImportUprRecommendations($rows: [UprRecommendationRowInput!]!) {
  importUprRecommendations(rows: $rows) { created revised unchanged errors { line column message } }
}`;

/** What an import run did, in total. */
export interface UprImportOutcome extends UprImportReport {
  /** Rows the parser found identical to an earlier row of the file (skipped, not errors). */
  readonly duplicates: number;
  /** Rows never sent, or sent without an answer, because a request failed (`failure` says why). */
  readonly notSent: number;
  readonly failure?: string;
}

export const EMPTY_REPORT: UprImportReport = { created: 0, revised: 0, unchanged: 0, errors: [] };

/** `items` cut into lists of at most `size`, in order. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive whole number, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Two reports as one: counts added, errors by line (then in the order they came). */
export function mergeReports(a: UprImportReport, b: UprImportReport): UprImportReport {
  return {
    created: a.created + b.created,
    revised: a.revised + b.revised,
    unchanged: a.unchanged + b.unchanged,
    errors: [...a.errors, ...b.errors]
      .map((e, i) => ({ e, i }))
      .sort((x, y) => x.e.line - y.e.line || x.i - y.i)
      .map(({ e }) => e),
  };
}

/**
 * Sends `rows` in batches, one request at a time, and merges the answers with `parseErrors`.
 * Stops at the first request that fails (the gateway down, a token expired, FORBIDDEN): the rows of
 * that batch and the later ones count as not sent. Importing is idempotent, so running the same
 * file again finishes the job.
 */
export async function importInBatches(
  rows: readonly UprRowInput[],
  send: (batch: UprRowInput[]) => Promise<UprImportReport>,
  opts: {
    readonly batchSize?: number;
    readonly parseErrors?: readonly UprImportRowError[];
    readonly duplicates?: number;
    /** After each answered batch: rows answered so far, of `rows.length`. */
    readonly onProgress?: (done: number, total: number, report: UprImportReport) => void;
  } = {},
): Promise<UprImportOutcome> {
  let report: UprImportReport = { ...EMPTY_REPORT, errors: [...(opts.parseErrors ?? [])] };
  let done = 0;
  for (const batch of batches(rows, opts.batchSize ?? DEFAULT_BATCH_SIZE)) {
    let answer: UprImportReport;
    try {
      answer = await send(batch);
    } catch (e) {
      return {
        ...report,
        duplicates: opts.duplicates ?? 0,
        notSent: rows.length - done,
        failure: e instanceof Error ? e.message : String(e),
      };
    }
    report = mergeReports(report, answer);
    done += batch.length;
    opts.onProgress?.(done, rows.length, report);
  }
  return { ...report, duplicates: opts.duplicates ?? 0, notSent: 0 };
}

/** 0 when every row was imported (or found unchanged); 1 when a row was refused or not sent. */
export function exitCodeOf(outcome: UprImportOutcome): number {
  return outcome.errors.length > 0 || outcome.notSent > 0 ? 1 : 0;
}

/** `line 12, Paragraph: recommendation 4-148.6 is already on line 7 with different content` */
export function formatRowError(e: UprImportRowError): string {
  return `line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`;
}

/** The closing lines of a run. */
export function formatOutcome(o: UprImportOutcome): string {
  const lines = [
    `created ${o.created}, revised ${o.revised}, unchanged ${o.unchanged}, refused ${new Set(o.errors.map((e) => e.line)).size} row(s)` +
      (o.duplicates > 0 ? `, ${o.duplicates} duplicate row(s) skipped` : ''),
  ];
  if (o.notSent > 0)
    lines.push(
      `${o.notSent} row(s) not imported: ${o.failure ?? 'the request failed'} (importing again is safe: nothing is imported twice)`,
    );
  return lines.join('\n');
}
