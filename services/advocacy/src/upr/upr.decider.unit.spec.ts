import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, ValidationError } from '@hrp/domain-kit';
import type { ImportUprRecommendation } from './upr.decider';
import { UprRules, checkUprRecommendation, uprDecider } from './upr.decider';
import type { UprEvent, UprRecommendationImported } from './upr.events';
import { uprRef, uprStreamId, uprStreamIdOfRef, uprTag } from './upr.events';

// ---------- fixtures ----------

const UPR_ID = 'upr-4-148_12';
const TEXT =
  'Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights, aiming at the abolition of the death penalty';
const meta = (): CommandMetadata => ({
  now: '2023-03-30T10:00:00.000Z',
  actor: { subject: 'kc-advocacy-officer', username: 'advocacy-officer' },
  correlationId: 'corr-1',
});
const spec = DeciderSpecification.for(uprDecider);

const row = {
  cycle: 4,
  session: 41,
  paragraph: '148.12',
  text: TEXT,
  recommendingState: 'Portugal',
  response: 'NOTED' as const,
  themes: ['Death penalty', 'International instruments'],
};
const importRow = (data: Partial<ImportUprRecommendation['data']> = {}): ImportUprRecommendation => ({
  type: 'ImportUprRecommendation',
  data: { uprId: UPR_ID, ...row, ...data },
  metadata: meta(),
});
const imported = (data: Partial<UprRecommendationImported['data']> = {}): UprRecommendationImported => ({
  type: 'UprRecommendationImported',
  data: { uprId: UPR_ID, ref: '4-148.12', ...row, ...data },
});
const revised = (data: Record<string, unknown>): UprEvent => ({
  type: 'UprRecommendationRevised',
  data: { uprId: UPR_ID, ref: '4-148.12', ...data },
});

describe('UPR recommendation', () => {
  describe('its identity', () => {
    it('is the cycle and the paragraph: ref 4-148.12, stream upr-4-148_12, tag UPR_RECOMMENDATION', () => {
      expect(uprRef(4, '148.12')).toBe('4-148.12');
      expect(uprStreamId(4, '148.12')).toBe('upr-4-148_12');
      expect(uprStreamIdOfRef('4-148.12')).toBe('upr-4-148_12');
      expect(uprTag('4-148.12')).toEqual({ kind: 'UPR_RECOMMENDATION', ref: '4-148.12' });
    });

    it('keeps 148.1 and 148.10 apart', () => {
      expect(uprStreamId(4, '148.1')).not.toBe(uprStreamId(4, '148.10'));
    });

    it('has no stream for a ref that is not a UPR ref', () => {
      expect(uprStreamIdOfRef('148.12')).toBeUndefined();
      expect(uprStreamIdOfRef('4-148.012')).toBeUndefined();
      expect(uprStreamIdOfRef('16.10')).toBeUndefined();
    });
  });

  describe('when the stream is new', () => {
    it('imports the recommendation, with its tag ref and the line it came from', () => {
      spec.given([]).when(importRow()).then([imported()]);
      spec.when(importRow({ sourceLine: 37 })).then([imported({ sourceLine: 37 })]);
    });

    it('trims the text, keeps its line breaks as \\n, collapses blanks in the State and the themes, and drops duplicate and blank themes', () => {
      spec
        .when(
          importRow({
            text: `  ${TEXT.replace(', aiming', ',\r\naiming')}\n`,
            recommendingState: ' United Kingdom of Great Britain  and Northern Ireland ',
            themes: [' Death  penalty', '', 'Death penalty', 'International instruments'],
            sourceLine: null,
          }),
        )
        .then([
          imported({
            text: TEXT.replace(', aiming', ',\naiming'),
            recommendingState: 'United Kingdom of Great Britain and Northern Ireland',
          }),
        ]);
    });

    it('imports a recommendation without themes', () => {
      spec.when(importRow({ themes: [] })).then([imported({ themes: [] })]);
    });

    const invalid: Array<[string, Partial<ImportUprRecommendation['data']>, string]> = [
      ['a stream id that is not the identity of the row', { uprId: 'upr-4-148_13' }, 'uprId'],
      ['a stream id for another cycle', { uprId: 'upr-3-148_12' }, 'uprId'],
      ['cycle 0', { cycle: 0 }, 'cycle'],
      ['a cycle that is not a whole number', { cycle: 4.5 }, 'cycle'],
      ['a cycle given as text', { cycle: '4' as never }, 'cycle'],
      ['a session outside the cycle', { session: 30 }, 'session'],
      ['a paragraph with a leading zero', { paragraph: '148.012' }, 'paragraph'],
      ['a paragraph without its sub-number', { paragraph: '148' }, 'paragraph'],
      ['a blank text', { text: ' \n ' }, 'text'],
      ['a text longer than 5000 characters', { text: 'x'.repeat(5001) }, 'text'],
      ['no recommending State', { recommendingState: '' }, 'recommendingState'],
      ['an unknown response', { response: 'ACCEPTED' as never }, 'response'],
      ['a response in lower case', { response: 'supported' as never }, 'response'],
      ['themes that are not strings', { themes: [3] as never }, 'themes'],
      ['more than 30 themes', { themes: Array.from({ length: 31 }, (_, i) => `Theme ${i}`) }, 'themes'],
      ['a line number of 0', { sourceLine: 0 }, 'sourceLine'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(importRow(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });
  });

  describe('when imported', () => {
    it('ignores the same recommendation imported again (re-importing a file changes nothing)', () => {
      spec.given([imported()]).when(importRow()).thenNothingHappened();
    });

    it('ignores differences that are not content: the line, surrounding blanks, line endings, the order of the themes', () => {
      spec
        .given([imported({ sourceLine: 2 })])
        .when(
          importRow({
            sourceLine: 90,
            text: ` ${TEXT} `,
            recommendingState: 'Portugal ',
            themes: ['International instruments', 'Death penalty', 'Death penalty'],
          }),
        )
        .thenNothingHappened();
    });

    it("revises the State's response when it changed, and only that", () => {
      spec
        .given([imported()])
        .when(importRow({ response: 'SUPPORTED', sourceLine: 12 }))
        .then([revised({ response: 'SUPPORTED', sourceLine: 12 })]);
    });

    it('revises a corrected text, recommending State, session and themes together', () => {
      spec
        .given([imported()])
        .when(importRow({ text: `${TEXT}.`, recommendingState: 'Spain', session: 42, themes: ['Death penalty'] }))
        .then([revised({ session: 42, text: `${TEXT}.`, recommendingState: 'Spain', themes: ['Death penalty'] })]);
    });

    it('folds revisions: the revised content is what the next import is compared with', () => {
      spec
        .given([imported(), revised({ response: 'SUPPORTED' })])
        .when(importRow({ response: 'SUPPORTED' }))
        .thenNothingHappened();
      spec
        .given([imported(), revised({ response: 'SUPPORTED' })])
        .when(importRow())
        .then([revised({ response: 'NOTED' })]);
    });

    it('refuses an invalid row rather than revising with it', () => {
      spec
        .given([imported()])
        .when(importRow({ response: 'PARTIALLY_SUPPORTED' as never }))
        .thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
    });
  });

  describe('the shared check', () => {
    it('reports every wrong field of a row, with the session rule where it applies', () => {
      const r = checkUprRecommendation({ ...row, cycle: 4, session: 12, paragraph: '', text: ' ', response: 'YES' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors.map((e) => e.field)).toEqual(['session', 'paragraph', 'text', 'response']);
      expect(r.errors[0]?.rule).toBe(UprRules.sessionOutsideCycle);
    });

    it('accepts the sessions of the cycle and, for cycles not yet scheduled, sessions after the 4th', () => {
      expect(checkUprRecommendation({ ...row, cycle: 1, session: 1 }).ok).toBe(true);
      expect(checkUprRecommendation({ ...row, cycle: 4, session: 54 }).ok).toBe(true);
      expect(checkUprRecommendation({ ...row, cycle: 4, session: 55 }).ok).toBe(false);
      expect(checkUprRecommendation({ ...row, cycle: 5, session: 55 }).ok).toBe(true);
      expect(checkUprRecommendation({ ...row, cycle: 5, session: 41 }).ok).toBe(false);
    });
  });
});
