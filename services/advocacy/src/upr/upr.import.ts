import { ValidationError, isDomainError } from '@hrp/domain-kit';
import type { ImportUprRecommendation } from './upr.decider';
import { UprLimits } from './upr.decider';
import type { UprEvent } from './upr.events';
import type { UprImportReport, UprImportRowError, UprRowInput } from './upr.rows';
import { checkUprRows } from './upr.rows';

/*
 * The server side of `importUprRecommendations`, without Nest: every row is checked again (the
 * client is never trusted), each valid one becomes an ImportUprRecommendation on its own stream,
 * and what each wrote is counted. Rows are independent: a refused row refuses nothing else, and a
 * row is one command, one stream, one atomic append, so it is never half imported.
 */

/** Runs one command and returns the events it appended ([] for a no-op). */
export type RunUprImport = (data: ImportUprRecommendation['data']) => Promise<readonly Pick<UprEvent, 'type'>[]>;

/** Streams written at once (each stream's commands are serialised by the kit anyway). */
export const IMPORT_CONCURRENCY = 8;

export async function importUprRows(
  rows: readonly Partial<Record<keyof UprRowInput, unknown>>[],
  run: RunUprImport,
  concurrency = IMPORT_CONCURRENCY,
): Promise<UprImportReport> {
  if (rows.length > UprLimits.maxRowsPerImport) {
    throw new ValidationError(`at most ${UprLimits.maxRowsPerImport} rows per import, got ${rows.length}: send them in batches`, 'rows');
  }
  const checked = checkUprRows(rows);
  const errors: UprImportRowError[] = [...checked.errors];
  let created = 0;
  let revised = 0;
  let unchanged = checked.duplicates.length;

  const queue = [...checked.valid];
  const worker = async (): Promise<void> => {
    for (let row = queue.shift(); row !== undefined; row = queue.shift()) {
      try {
        const events = await run(row.data);
        if (events.some((e) => e.type === 'UprRecommendationImported')) created += 1;
        else if (events.length > 0) revised += 1;
        else unchanged += 1;
      } catch (e) {
        // A refusal is the row's; anything else (the store down) fails the request: importing again is safe.
        if (!isDomainError(e)) throw e;
        const { field, rule } = e as { field?: string; rule?: string };
        errors.push({ line: row.line, ...(field ? { column: field } : {}), message: e.message, ...(rule ? { rule } : {}) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  return { created, revised, unchanged, errors: errors.sort((a, b) => a.line - b.line) };
}
