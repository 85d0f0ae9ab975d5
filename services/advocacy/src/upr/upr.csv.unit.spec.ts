import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UprRules } from './upr.decider';
import { parseUprCsv } from './upr.csv';

const FIXTURES = join(__dirname, '../../test/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

const HEADER = 'State under Review,Cycle,Session,Document,Paragraph,Recommendation,Recommending State,Response,Themes';
const line = (
  paragraph: string,
  over: Partial<Record<'sur' | 'cycle' | 'session' | 'text' | 'state' | 'response' | 'themes', string>> = {},
) =>
  [
    over.sur ?? 'Morocco',
    over.cycle ?? '4',
    over.session ?? '41',
    'A/HRC/52/7',
    paragraph,
    over.text ?? `"Ratify the Optional Protocol to the Convention against Torture, ${paragraph}"`,
    over.state ?? 'Denmark',
    over.response ?? 'Supported',
    over.themes ?? 'International instruments; Torture and other CID treatment',
  ].join(',');
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n');

describe('UPR CSV', () => {
  describe("Morocco's 4th cycle fixture (the UN database's export layout)", () => {
    const result = parseUprCsv(fixture('upr-morocco-cycle4.csv'));

    it('reads every one of its 240 recommendations, without an error', () => {
      expect(result.errors).toEqual([]);
      expect(result.records).toBe(240);
      expect(result.rows).toHaveLength(240);
      expect(result.duplicates).toEqual([]);
    });

    it('reads paragraphs 148.1 to 148.240 of cycle 4, session 41, each once', () => {
      expect(new Set(result.rows.map((r) => r.paragraph)).size).toBe(240);
      expect(result.rows[0]).toMatchObject({
        line: 2,
        cycle: 4,
        session: 41,
        paragraph: '148.1',
        response: 'NOTED',
        recommendingState: 'Uruguay',
      });
      expect(result.rows.every((r) => r.cycle === 4 && r.session === 41)).toBe(true);
    });

    it('mixes SUPPORTED and NOTED, and many recommending States', () => {
      const noted = result.rows.filter((r) => r.response === 'NOTED').length;
      expect(noted).toBeGreaterThan(20);
      expect(240 - noted).toBeGreaterThan(150);
      expect(new Set(result.rows.map((r) => r.recommendingState)).size).toBeGreaterThan(100);
    });

    it('splits themes on ";" only: a theme with a comma stays whole', () => {
      const esc = result.rows.find((r) => r.themes.includes('Economic, social and cultural rights'));
      expect(esc).toBeDefined();
      expect(result.rows.some((r) => r.themes.includes('Economic'))).toBe(false);
    });

    it('keeps a quoted line break inside a recommendation, and counts the next row from the line after it', () => {
      const i = result.rows.findIndex((r) => r.text.includes('\n'));
      expect(result.rows[i].text).toContain('DNA testing,\nand to inheritance');
      expect(result.rows[i + 1].line).toBe(result.rows[i].line + 2);
    });
  });

  describe('the bad rows fixture', () => {
    const result = parseUprCsv(fixture('upr-bad-rows.csv'));

    it('imports only the good rows, the one over two lines and the one with a lower-case response included', () => {
      expect(result.rows.map((r) => r.line)).toEqual([2, 7, 14]);
      expect(result.rows[2].response).toBe('SUPPORTED');
    });

    it('reports each bad row by the line it starts on, with the column to blame', () => {
      expect(result.errors.map((e) => [e.line, e.column])).toEqual([
        [3, 'Response'],
        [4, 'Paragraph'],
        [5, 'Recommendation'],
        [6, 'Cycle'],
        [10, 'Session'],
        [12, 'Paragraph'],
        [13, 'State under Review'],
        [15, 'Recommending State'],
        [15, 'Response'],
      ]);
    });

    it('names the rule where one applies', () => {
      const rules = Object.fromEntries(result.errors.filter((e) => e.rule).map((e) => [e.line, e.rule]));
      expect(rules).toEqual({
        10: UprRules.sessionOutsideCycle,
        12: UprRules.duplicateInFile,
        13: UprRules.otherStateUnderReview,
      });
      expect(result.errors.find((e) => e.line === 12)?.message).toBe('recommendation 4-148.6 is already on line 7 with different content');
    });

    it('skips a row that repeats an earlier one exactly', () => {
      expect(result.duplicates).toEqual([11]);
      expect(result.records).toBe(12);
    });
  });

  describe('is tolerant of the file', () => {
    const plain = parseUprCsv(csv(line('148.1'), line('148.2')));

    it('reads a byte order mark, CRLF and CR line ends, blank lines and rows of empty cells alike', () => {
      expect(plain.rows.map((r) => r.line)).toEqual([2, 3]);
      const messy = `\uFEFF${HEADER}\r\n\r\n${line('148.1')}\r\n,,,,,,,,\r${line('148.2')}\r\n`;
      const r = parseUprCsv(Buffer.from(messy, 'utf8'));
      expect(r.errors).toEqual([]);
      expect(r.rows.map(({ line: _l, ...row }) => row)).toEqual(plain.rows.map(({ line: _l, ...row }) => row));
      expect(r.rows.map((x) => x.line)).toEqual([3, 5]);
    });

    it('matches headers whatever their case, spacing, order and the names other exports use', () => {
      const other = [
        'Issues,POSITION, recommendation number ,Recommendation,recommending state(s),UPR cycle,Session',
        'Death penalty; International instruments,noted,148.3,Abolish the death penalty,Spain,Cycle 4,41st session',
      ].join('\n');
      const r = parseUprCsv(other);
      expect(r.errors).toEqual([]);
      expect(r.rows).toEqual([
        {
          line: 2,
          cycle: 4,
          session: 41,
          paragraph: '148.3',
          text: 'Abolish the death penalty',
          recommendingState: 'Spain',
          response: 'NOTED',
          themes: ['Death penalty', 'International instruments'],
        },
      ]);
    });

    it('reads a file saved with ";" as the delimiter', () => {
      const r = parseUprCsv(
        [
          'Cycle;Session;Paragraph;Recommendation;Recommending State;Response;Themes',
          '4;41;148.1;"Ratify CAT-OP, soon";Denmark;Supported;"A; B"',
        ].join('\n'),
      );
      expect(r.errors).toEqual([]);
      expect(r.rows[0]).toMatchObject({ text: 'Ratify CAT-OP, soon', themes: ['A', 'B'] });
    });

    it('reads a file without a Themes or State under Review column', () => {
      const r = parseUprCsv(
        'Cycle,Session,Paragraph,Recommendation,Recommending State,Response\n4,41,148.1,Ratify the OP-CAT,Denmark,Supported',
      );
      expect(r.errors).toEqual([]);
      expect(r.rows[0]?.themes).toEqual([]);
    });
  });

  describe('is strict on values and on the header', () => {
    it('refuses a file without a required column, naming it, and imports nothing', () => {
      const r = parseUprCsv('Cycle,Session,Recommendation,Recommending State\n4,41,x,Denmark');
      expect(r.rows).toEqual([]);
      expect(r.errors).toEqual([{ line: 1, message: expect.stringContaining('missing column(s) Paragraph, Response') }]);
    });

    it('refuses a file with two columns for one field', () => {
      const r = parseUprCsv(
        'Cycle,Session,Paragraph,Recommendation,Recommending State,Response,Position\n4,41,148.1,x,Denmark,Noted,Noted',
      );
      expect(r.errors[0]?.message).toMatch(/two columns are Response/);
    });

    it('refuses a file whose quotes are broken, at the line where the parser gave up, and imports nothing', () => {
      const r = parseUprCsv(csv(line('148.1'), line('148.2', { text: '"Ratify "the" OP-CAT"' }), line('148.3')));
      expect(r.rows).toEqual([]);
      expect(r.errors).toEqual([{ line: 3, message: expect.stringContaining('not valid CSV') }]);
    });

    it('refuses a file that is not UTF-8 rather than garble its accents', () => {
      const latin1 = Buffer.from(csv(line('148.1', { state: "C\u00f4te d'Ivoire" })), 'latin1');
      expect(parseUprCsv(latin1).errors).toEqual([{ line: 1, message: expect.stringContaining('not UTF-8') }]);
      expect(parseUprCsv(Buffer.from(csv(line('148.1', { state: "C\u00f4te d'Ivoire" })), 'utf8')).rows[0]?.recommendingState).toBe(
        "C\u00f4te d'Ivoire",
      );
    });

    it('refuses an empty file', () => {
      expect(parseUprCsv('\n\n').errors).toEqual([{ line: 1, message: expect.stringContaining('empty') }]);
    });

    it.each<[string, Record<string, string>, string, string | undefined]>([
      ['a response other than Supported or Noted', { response: 'Partially supported' }, 'Response', undefined],
      ['a cycle in words', { cycle: 'fourth' }, 'Cycle', undefined],
      ['a session that is not a number', { session: '41bis' }, 'Session', undefined],
      ['a session of another cycle', { session: '27' }, 'Session', UprRules.sessionOutsideCycle],
    ])('refuses %s', (_what, over, column, rule) => {
      const r = parseUprCsv(csv(line('148.1', over)));
      expect(r.rows).toEqual([]);
      expect(r.errors).toEqual([{ line: 2, column, message: expect.any(String), ...(rule ? { rule } : {}) }]);
    });

    it.each(['148', '148.012', 'para 148.1', '148.1.2'])('refuses the paragraph %j', (paragraph) => {
      const r = parseUprCsv(csv(line(paragraph)));
      expect(r.errors.map((e) => e.column)).toEqual(['Paragraph']);
    });

    it('refuses a row with more cells than the header (a comma outside quotes)', () => {
      const r = parseUprCsv(csv(`${line('148.1')},extra`));
      expect(r.errors).toEqual([{ line: 2, message: expect.stringContaining('comma outside quotes') }]);
    });

    it('keeps 148.1 and 148.10 apart', () => {
      const r = parseUprCsv(csv(line('148.1'), line('148.10')));
      expect(r.errors).toEqual([]);
      expect(r.rows).toHaveLength(2);
    });
  });
});
