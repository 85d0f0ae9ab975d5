import type { UprImportReport, UprRowInput } from './upr.rows';
import { batches, exitCodeOf, formatOutcome, formatRowError, importInBatches, mergeReports } from './upr.import-client';

const row = (line: number): UprRowInput => ({
  line,
  cycle: 4,
  session: 41,
  paragraph: `148.${line - 1}`,
  text: `Recommendation ${line}`,
  recommendingState: 'Chile',
  response: 'SUPPORTED',
  themes: [],
});
const rows = (n: number) => Array.from({ length: n }, (_, i) => row(i + 2));
const report = (r: Partial<UprImportReport>): UprImportReport => ({ created: 0, revised: 0, unchanged: 0, errors: [], ...r });

describe('UPR import client', () => {
  describe('batches', () => {
    it('cuts rows in order, the last batch shorter', () => {
      expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
      expect(batches([], 100)).toEqual([]);
    });

    it('refuses a batch size below 1', () => {
      expect(() => batches([1], 0)).toThrow(RangeError);
    });
  });

  describe('mergeReports', () => {
    it('adds the counts and keeps errors by line', () => {
      const a = report({ created: 2, unchanged: 1, errors: [{ line: 9, message: 'a' }] });
      const b = report({
        created: 1,
        revised: 3,
        errors: [
          { line: 4, column: 'Response', message: 'b' },
          { line: 9, message: 'c' },
        ],
      });
      expect(mergeReports(a, b)).toEqual({
        created: 3,
        revised: 3,
        unchanged: 1,
        errors: [
          { line: 4, column: 'Response', message: 'b' },
          { line: 9, message: 'a' },
          { line: 9, message: 'c' },
        ],
      });
    });
  });

  describe('importInBatches', () => {
    it('sends every row once, in batches, and totals the answers with the parser refusals', async () => {
      const sent: number[][] = [];
      const progress: number[] = [];
      const outcome = await importInBatches(
        rows(250),
        async (batch) => {
          sent.push(batch.map((r) => r.line));
          return report({ created: batch.length - 1, unchanged: 1 });
        },
        {
          batchSize: 100,
          parseErrors: [{ line: 300, column: 'Cycle', message: 'bad' }],
          duplicates: 2,
          onProgress: (done) => progress.push(done),
        },
      );
      expect(sent.map((b) => b.length)).toEqual([100, 100, 50]);
      expect(sent.flat()).toEqual(rows(250).map((r) => r.line));
      expect(progress).toEqual([100, 200, 250]);
      expect(outcome).toEqual({
        created: 247,
        revised: 0,
        unchanged: 3,
        errors: [{ line: 300, column: 'Cycle', message: 'bad' }],
        duplicates: 2,
        notSent: 0,
      });
      expect(exitCodeOf(outcome)).toBe(1);
    });

    it('succeeds with exit code 0 when nothing was refused, a re-import that changes nothing included', async () => {
      const outcome = await importInBatches(rows(3), async (b) => report({ unchanged: b.length }));
      expect(outcome).toMatchObject({ created: 0, revised: 0, unchanged: 3, errors: [], notSent: 0 });
      expect(exitCodeOf(outcome)).toBe(0);
    });

    it('stops at the first failed request and counts that batch and the later ones as not sent', async () => {
      let calls = 0;
      const outcome = await importInBatches(
        rows(5),
        async (b) => {
          calls += 1;
          if (calls === 2) throw new Error('FORBIDDEN: ImportUprRecommendation needs the advocacy-officer or director role');
          return report({ created: b.length });
        },
        { batchSize: 2 },
      );
      expect(calls).toBe(2);
      expect(outcome).toMatchObject({ created: 2, notSent: 3, failure: expect.stringContaining('FORBIDDEN') });
      expect(exitCodeOf(outcome)).toBe(1);
      expect(formatOutcome(outcome)).toContain('3 row(s) not imported: FORBIDDEN');
    });
  });

  describe('formatting', () => {
    it('names the line and the column of a refusal', () => {
      expect(formatRowError({ line: 12, column: 'Paragraph', message: 'duplicate' })).toBe('line 12, Paragraph: duplicate');
      expect(formatRowError({ line: 3, message: 'not valid CSV' })).toBe('line 3: not valid CSV');
    });

    it('totals refused rows, not errors (a row may have several)', () => {
      const text = formatOutcome({
        created: 1,
        revised: 2,
        unchanged: 3,
        errors: [
          { line: 15, column: 'Response', message: 'x' },
          { line: 15, column: 'Recommending State', message: 'y' },
        ],
        duplicates: 1,
        notSent: 0,
      });
      expect(text).toBe('created 1, revised 2, unchanged 3, refused 1 row(s), 1 duplicate row(s) skipped');
    });
  });
});
