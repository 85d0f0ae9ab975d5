import { parse } from 'csv-parse/sync';
import { UprRules } from './upr.decider';
import type { UprImportRowError, UprRowField, UprRowInput } from './upr.rows';
import { checkUprRows, rowInputOf } from './upr.rows';

/*
 * The CSV of UPR recommendations, in the layout of the UN's public UPR recommendations database
 * export (one row per recommendation, as the OHCHR database and UPR Info's export it):
 *
 *   State under Review, Cycle, Session, Document, Paragraph, Recommendation, Recommending State,
 *   Response, Themes
 *
 * Headers are matched whatever their case, spacing and punctuation, and by the other names the
 * exports use (`Recommendation number` for `Paragraph`, `Position` for `Response`, `Issues` for
 * `Themes`, …: see UPR_CSV_HEADERS); their order does not matter and unknown columns (`Document`,
 * `Action category`, …) are ignored. Required: Cycle, Session, Paragraph, Recommendation,
 * Recommending State, Response. Optional: Themes (none when absent) and State under Review (when
 * present, every row must be about Morocco).
 *
 * Tolerant of the file: a UTF-8 byte order mark, CRLF, CR or LF line ends, quoted fields over
 * several lines, blank lines and rows of empty cells, a `;` or tab delimiter (as a French Excel
 * saves it) detected from the header line. Strict on values: cycle and session are numbers
 * ("4", "Cycle 4", "41st session" are read; "four" is not); the response is Supported or Noted
 * (any case), nothing else; themes are separated by `;` or line breaks — never by commas, which
 * theme names contain ("Freedom of thought, conscience and religion").
 *
 * Each row is reported on the physical line where its record starts. A row with any error is not
 * imported at all. A broken quote leaves the rest of the file unreadable: the file is refused whole.
 */

/** The State whose recommendations the platform follows, as the database names it. */
export const STATE_UNDER_REVIEW = 'Morocco';

type Column = Exclude<UprRowField, 'line' | 'sourceLine'> | 'stateUnderReview';

/** The header each column is written with in the fixtures and in errors, and the names it is also read by. */
export const UPR_CSV_HEADERS: Readonly<Record<Column, { readonly header: string; readonly aliases: readonly string[] }>> = {
  stateUnderReview: { header: 'State under Review', aliases: ['State under Review', 'SuR', 'State reviewed'] },
  cycle: { header: 'Cycle', aliases: ['Cycle', 'UPR cycle', 'Review cycle'] },
  session: { header: 'Session', aliases: ['Session', 'UPR session', 'Session number', 'WG session'] },
  paragraph: {
    header: 'Paragraph',
    aliases: ['Paragraph', 'Paragraph number', 'Para', 'Para.', 'Recommendation number', 'Recommendation No', 'Rec. number'],
  },
  text: { header: 'Recommendation', aliases: ['Recommendation', 'Recommendation text', 'Text', 'Recommendations'] },
  recommendingState: {
    header: 'Recommending State',
    aliases: ['Recommending State', 'Recommending States', 'Recommending State(s)', 'Recommended by', 'Recommending country'],
  },
  response: { header: 'Response', aliases: ['Response', 'Position', 'UPR position', 'Response of the State', 'State response'] },
  themes: { header: 'Themes', aliases: ['Themes', 'Theme', 'Themes/Issues', 'Issues', 'Issue', 'Issue(s)', 'Full list of themes'] },
};

const REQUIRED: readonly Column[] = ['cycle', 'session', 'paragraph', 'text', 'recommendingState', 'response'];

/** The canonical header line, in the export's order. */
export const UPR_CSV_HEADER_LINE = [
  'State under Review',
  'Cycle',
  'Session',
  'Document',
  'Paragraph',
  'Recommendation',
  'Recommending State',
  'Response',
  'Themes',
];

export interface UprCsvResult {
  /** Rows that passed, normalised, in file order (what is sent to `importUprRecommendations`). */
  readonly rows: UprRowInput[];
  /** Every refusal, by line then column. */
  readonly errors: UprImportRowError[];
  /** Lines that repeat an earlier row exactly (skipped). */
  readonly duplicates: number[];
  /** Data rows read (blank ones not counted). */
  readonly records: number;
}

const key = (header: string): string =>
  header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const COLUMN_OF_KEY: ReadonlyMap<string, Column> = new Map(
  (Object.entries(UPR_CSV_HEADERS) as [Column, { aliases: readonly string[] }][]).flatMap(([column, { aliases }]) =>
    aliases.map((a) => [key(a), column] as const),
  ),
);

/** Parses a UPR recommendations CSV export (bytes as UTF-8, or text). Never throws on content. */
export function parseUprCsv(content: string | Uint8Array, opts: { stateUnderReview?: string } = {}): UprCsvResult {
  const stateUnderReview = opts.stateUnderReview ?? STATE_UNDER_REVIEW;
  const refused = (line: number, message: string, column?: string): UprCsvResult => ({
    rows: [],
    errors: [{ line, ...(column ? { column } : {}), message }],
    duplicates: [],
    records: 0,
  });
  let decoded: string;
  try {
    decoded = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    // A spreadsheet's "CSV" in Windows-1252 would put U+FFFD in place of every accent, silently.
    return refused(1, 'the file is not UTF-8: save it as "CSV UTF-8" (nothing was imported)');
  }
  const text = decoded.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    return refused(err.lines ?? 1, `the file is not valid CSV (nothing was imported): ${err.message ?? String(e)}`);
  }

  const withLines = records
    .map((r) => ({ cells: r.record, line: startLine(r.info.lines, r.raw) }))
    .filter((r) => r.cells.some((c) => c.trim().length > 0));
  const [header, ...data] = withLines;
  if (header === undefined) return refused(1, 'the file is empty: a header line is expected');

  // ---------- the header ----------
  const index = new Map<Column, number>();
  const headerText = new Map<Column, string>();
  for (const [i, cell] of header.cells.entries()) {
    const column = COLUMN_OF_KEY.get(key(cell));
    if (column === undefined) continue;
    if (index.has(column))
      return refused(
        header.line,
        `two columns are ${UPR_CSV_HEADERS[column].header}: "${headerText.get(column)}" and "${cell.trim()}"`,
        cell.trim(),
      );
    index.set(column, i);
    headerText.set(column, cell.trim());
  }
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    return refused(
      header.line,
      `missing column(s) ${missing.map((c) => UPR_CSV_HEADERS[c].header).join(', ')}; the header line is: ${header.cells.map((c) => c.trim()).join(' | ')}`,
    );
  }
  const columnOf = (field: UprRowField | Column): string =>
    field === 'line' || field === 'sourceLine' ? 'line' : (headerText.get(field) ?? UPR_CSV_HEADERS[field].header);

  // ---------- the rows: cells to values, then the shared check ----------
  const known = new Map<number, (UprImportRowError & { field?: UprRowField })[]>();
  const rows = data.map(({ cells, line }) => {
    const cell = (c: Column): string | undefined => {
      const i = index.get(c);
      return i === undefined ? undefined : (cells[i] ?? '');
    };
    const problems: (UprImportRowError & { field?: UprRowField })[] = [];
    if (cells.length > header.cells.length && cells.slice(header.cells.length).some((c) => c.trim().length > 0)) {
      problems.push({ line, message: `the row has ${cells.length} cells, the header ${header.cells.length}: a comma outside quotes?` });
    }
    const sur = cell('stateUnderReview');
    if (sur !== undefined && key(sur) !== key(stateUnderReview)) {
      problems.push({
        line,
        column: columnOf('stateUnderReview'),
        message: `the row is about ${JSON.stringify(sur.trim())}, not ${stateUnderReview}`,
        rule: UprRules.otherStateUnderReview,
      });
    }
    const number = (field: 'cycle' | 'session', pattern: RegExp): number | undefined => {
      const raw = (cell(field) ?? '').trim();
      const m = pattern.exec(raw);
      if (m) return Number(m[1]);
      problems.push({
        line,
        field,
        column: columnOf(field),
        message: `${field} must be a number such as ${field === 'cycle' ? '4' : '41'}, got ${JSON.stringify(raw)}`,
      });
      return undefined;
    };
    const cycle = number('cycle', /^(?:cycle\s*)?(\d{1,3})(?:st|nd|rd|th)?(?:\s*cycle)?$/i);
    const session = number('session', /^(?:session\s*)?(\d{1,3})(?:st|nd|rd|th)?(?:\s*session)?$/i);
    // Supported / Noted in any case; any other value goes on as it is, to be refused as written.
    const rawResponse = (cell('response') ?? '').trim();
    const response = /^(supported|noted)$/i.test(rawResponse) ? rawResponse.toUpperCase() : rawResponse;
    const themesCell = cell('themes');
    if (problems.length > 0) known.set(line, problems);
    return {
      line,
      cycle,
      session,
      paragraph: (cell('paragraph') ?? '').trim(),
      text: cell('text'),
      recommendingState: cell('recommendingState'),
      response,
      themes: themesCell === undefined ? [] : themesCell.split(/[;\n]/),
    };
  });
  const checked = checkUprRows(rows, columnOf, known);
  return {
    rows: checked.valid.map(rowInputOf),
    errors: checked.errors,
    duplicates: checked.duplicates,
    records: data.length,
  };
}

/** `,` unless the header line (outside quotes) has more `;` or tabs. */
function delimiterOf(text: string): string {
  const first = (text.split('\n', 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const count = (d: string) => first.split(d).length - 1;
  const [best] = [',', ';', '\t'].sort((a, b) => count(b) - count(a));
  return best !== undefined && count(best) > 0 ? best : ',';
}

/**
 * The line a record starts on: csv-parse gives the line it ends on, and the raw text, which begins
 * with the blank lines skipped before it and ends with its line break.
 */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return endLine - (body.split('\n').length - 1);
}
