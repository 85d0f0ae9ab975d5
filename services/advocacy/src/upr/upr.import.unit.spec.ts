import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandMetadata } from '@hrp/domain-kit';
import { ConcurrencyError, ValidationError, fold } from '@hrp/domain-kit';
import { parseUprCsv } from './upr.csv';
import type { ImportUprRecommendation } from './upr.decider';
import { UprRules, uprDecider } from './upr.decider';
import type { UprEvent } from './upr.events';
import { importUprRows } from './upr.import';
import type { UprRowInput } from './upr.rows';

const FIXTURES = join(__dirname, '../../test/fixtures');
const meta: CommandMetadata = {
  now: '2023-03-30T10:00:00.000Z',
  actor: { subject: 'kc-1', username: 'advocacy-officer' },
  correlationId: 'c',
};

/** The streams of an event store, in memory: load, fold, decide, append, as the kit's handler does. */
function memoryStore() {
  const streams = new Map<string, UprEvent[]>();
  const run = async (data: ImportUprRecommendation['data']) => {
    const history = streams.get(data.uprId) ?? [];
    const events = uprDecider.decide({ type: 'ImportUprRecommendation', data, metadata: meta }, fold(uprDecider, history));
    if (events.length > 0) streams.set(data.uprId, [...history, ...events]);
    return events;
  };
  return { streams, run };
}

const rowsOf = (file: string): UprRowInput[] => parseUprCsv(readFileSync(join(FIXTURES, file))).rows;

describe('UPR import (server side)', () => {
  describe("Morocco's 4th cycle, 240 recommendations", () => {
    it('creates every one on its own stream, then a re-import changes nothing', async () => {
      const store = memoryStore();
      const rows = rowsOf('upr-morocco-cycle4.csv');
      expect(await importUprRows(rows, store.run)).toEqual({ created: 240, revised: 0, unchanged: 0, errors: [] });
      expect(store.streams.size).toBe(240);
      const written = [...store.streams.values()].flat().length;

      expect(await importUprRows(rows, store.run)).toEqual({ created: 0, revised: 0, unchanged: 240, errors: [] });
      expect([...store.streams.values()].flat()).toHaveLength(written);
    });

    it('revises only the rows whose content changed', async () => {
      const store = memoryStore();
      const rows = rowsOf('upr-morocco-cycle4.csv');
      await importUprRows(rows, store.run);
      const changed = rows.map((r) => (r.paragraph === '148.1' ? { ...r, response: 'SUPPORTED' } : r));
      expect(await importUprRows(changed, store.run)).toEqual({ created: 0, revised: 1, unchanged: 239, errors: [] });
      expect(store.streams.get('upr-4-148_1')?.at(-1)).toEqual({
        type: 'UprRecommendationRevised',
        data: { uprId: 'upr-4-148_1', ref: '4-148.1', response: 'SUPPORTED', sourceLine: 2 },
      });
    });
  });

  describe('rows that the client did not check', () => {
    it('checks every row again and reports the bad ones by line, importing the others', async () => {
      const store = memoryStore();
      const good = rowsOf('upr-bad-rows.csv');
      const rows = [
        ...good,
        { ...good[0], line: 40, response: 'ACCEPTED' },
        { ...good[1], line: 41, paragraph: '148.06' },
        { ...good[0], line: 42, text: 'Another text for the same paragraph' },
        { ...good[0], line: 43 },
        { line: 0 },
      ];
      const report = await importUprRows(rows, store.run);
      expect(report).toMatchObject({ created: 3, revised: 0, unchanged: 1 });
      expect(report.errors.map((e) => [e.line, e.column, e.rule])).toEqual([
        [0, 'line', undefined],
        [40, 'response', undefined],
        [41, 'paragraph', undefined],
        [42, 'paragraph', UprRules.duplicateInFile],
      ]);
      expect(store.streams.size).toBe(3);
    });

    it('refuses more than 500 rows at once, before importing any', async () => {
      const store = memoryStore();
      const row = rowsOf('upr-morocco-cycle4.csv')[0];
      await expect(
        importUprRows(
          Array.from({ length: 501 }, (_, i) => ({ ...row, line: i + 2 })),
          store.run,
        ),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(store.streams.size).toBe(0);
    });
  });

  describe('when the store refuses a row', () => {
    const rows = () => rowsOf('upr-morocco-cycle4.csv').slice(0, 3);

    it('reports a domain refusal on its line and goes on with the others', async () => {
      const store = memoryStore();
      const run = (data: ImportUprRecommendation['data']) =>
        data.paragraph === '148.2' ? Promise.reject(new ConcurrencyError(data.uprId, 1, 2, true)) : store.run(data);
      const report = await importUprRows(rows(), run);
      expect(report).toMatchObject({ created: 2, errors: [{ line: 3, message: expect.stringContaining('upr-4-148_2') }] });
    });

    it('fails the request on anything else (importing again is safe)', async () => {
      await expect(importUprRows(rows(), () => Promise.reject(new Error('MongoNetworkError')))).rejects.toThrow('MongoNetworkError');
    });
  });
});
