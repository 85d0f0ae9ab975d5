import { ValidationError } from '@hrp/domain-kit';
import { AGE_GROUPS, disaggregatedCountIssues, disaggregatedTotal, isAgeGroup, isSex } from './disaggregation';
import { isHumanRightsTag, isInstrument, isTagKind, TAG_KINDS, tagKey } from './human-rights';
import { localize, validateLocalizedText } from './localized-text';
import {
  addMoney,
  compareMoney,
  formatMinorUnits,
  fromMoneyAmount,
  MAX_MINOR_UNITS,
  money,
  parseMinorUnits,
  parseMoneyInput,
  subtractMoney,
  toMoneyAmount,
} from './money';
import { isRegion, REGIONS } from './regions';

describe('Region', () => {
  it('lists the twelve regions and NATIONAL', () => {
    expect(REGIONS).toHaveLength(13);
    expect(REGIONS[0]).toBe('MA-01');
    expect(REGIONS[11]).toBe('MA-12');
    expect(REGIONS).toContain('NATIONAL');
  });

  it.each(['MA-01', 'MA-12', 'NATIONAL'])('accepts %s', (code) => {
    expect(isRegion(code)).toBe(true);
  });

  it.each(['MA-13', 'MA-1', 'ma-01', 'national', '', ' MA-01', 1, null])('rejects %p', (code) => {
    expect(isRegion(code)).toBe(false);
  });
});

describe('Money', () => {
  describe('when parsing MinorUnits', () => {
    it('reads a plain string of digits', () => {
      expect(parseMinorUnits('0')).toBe(0n);
      expect(parseMinorUnits('125000')).toBe(125000n);
    });

    it('stays exact beyond 2^53', () => {
      const beyond = '9007199254740993'; // 2^53 + 1, not representable as a number
      expect(parseMinorUnits(beyond)).toBe(9007199254740993n);
      expect(formatMinorUnits(parseMinorUnits(beyond))).toBe(beyond);
    });

    it.each(['12.5', '1e3', '-5', '+5', ' 5', '5 ', '0x10', '007', '', 'abc', '5abc', '1_000', '١٢'])('rejects %p', (input) => {
      expect(() => parseMinorUnits(input)).toThrow(ValidationError);
    });

    it('rejects numbers, which may already have lost precision', () => {
      expect(() => parseMinorUnits(12)).toThrow(/string of digits/);
    });

    it('accepts a minus sign only when allowed, and never -0', () => {
      expect(parseMinorUnits('-5', { allowNegative: true })).toBe(-5n);
      expect(() => parseMinorUnits('-0', { allowNegative: true })).toThrow(ValidationError);
    });

    it('rejects amounts beyond a signed 64-bit integer', () => {
      expect(parseMinorUnits(MAX_MINOR_UNITS.toString())).toBe(MAX_MINOR_UNITS);
      expect(() => parseMinorUnits((MAX_MINOR_UNITS + 1n).toString())).toThrow(/out of range/);
    });

    it('names the field in the error', () => {
      try {
        parseMinorUnits('1.5', { field: 'estimatedCost.amount' });
        throw new Error('expected a ValidationError');
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).field).toBe('estimatedCost.amount');
      }
    });
  });

  describe('when parsing a MoneyInput', () => {
    it('defaults the currency to MAD, also when null', () => {
      expect(parseMoneyInput({ amount: '100' })).toEqual({ amount: 100n, currency: 'MAD' });
      expect(parseMoneyInput({ amount: '100', currency: null })).toEqual({ amount: 100n, currency: 'MAD' });
    });

    it('keeps a given currency and rejects a malformed one', () => {
      expect(parseMoneyInput({ amount: '100', currency: 'EUR' }).currency).toBe('EUR');
      expect(() => parseMoneyInput({ amount: '100', currency: 'eur' })).toThrow(/ISO 4217/);
    });
  });

  describe('when building and combining amounts', () => {
    it('refuses fractional numbers', () => {
      expect(() => money(10.5)).toThrow(ValidationError);
      expect(money(10)).toEqual({ amount: 10n, currency: 'MAD' });
    });

    it('round-trips through the JSON-safe MoneyAmount', () => {
      const m = money(123456789012345678n, 'MAD');
      expect(toMoneyAmount(m)).toEqual({ amount: '123456789012345678', currency: 'MAD' });
      expect(fromMoneyAmount(toMoneyAmount(m))).toEqual(m);
      expect(JSON.parse(JSON.stringify(toMoneyAmount(m)))).toEqual(toMoneyAmount(m));
    });

    it('adds, subtracts and compares in one currency', () => {
      const a = money(1000n);
      const b = money(250n);
      expect(addMoney(a, b).amount).toBe(1250n);
      expect(subtractMoney(b, a)).toEqual({ amount: -750n, currency: 'MAD' });
      expect(compareMoney(a, b)).toBe(1);
      expect(compareMoney(b, a)).toBe(-1);
      expect(compareMoney(a, money(1000n))).toBe(0);
    });

    it('refuses to mix currencies', () => {
      expect(() => addMoney(money(1n), money(1n, 'EUR'))).toThrow(/cannot combine MAD and EUR/);
    });
  });
});

describe('LocalizedText', () => {
  it('accepts French alone and drops null or blank translations', () => {
    expect(validateLocalizedText({ fr: 'Droits des femmes', ar: null, en: '  ' })).toEqual({ fr: 'Droits des femmes' });
  });

  it('keeps every language given', () => {
    const text = { fr: 'Droits', ar: 'حقوق', en: 'Rights', zgh: 'ⵉⵣⵔⴼⴰⵏ' };
    expect(validateLocalizedText(text)).toEqual(text);
  });

  it.each([{}, { fr: '' }, { fr: '   ' }, { en: 'Rights' }, { fr: null }])('requires a non-blank French text: %p', (input) => {
    expect(() => validateLocalizedText(input, { field: 'title' })).toThrow(/title\.fr is required/);
  });

  it('rejects unknown languages and non-objects', () => {
    expect(() => validateLocalizedText({ fr: 'x', es: 'y' })).toThrow(/unknown language "es"/);
    expect(() => validateLocalizedText('x')).toThrow(ValidationError);
    expect(() => validateLocalizedText({ fr: 3 })).toThrow(/text\.fr must be a string/);
  });

  it('limits each translation in code points, with a configurable maximum', () => {
    expect(() => validateLocalizedText({ fr: 'a'.repeat(501) })).toThrow(/more than 500/);
    expect(validateLocalizedText({ fr: 'a'.repeat(500) }).fr).toHaveLength(500);
    expect(() => validateLocalizedText({ fr: 'ok', ar: 'ح'.repeat(11) }, { maxLength: 10, field: 'title' })).toThrow(/title\.ar/);
    // Astral characters are one code point but two UTF-16 units.
    expect(validateLocalizedText({ fr: '𝔸'.repeat(10) }, { maxLength: 10 }).fr).toBe('𝔸'.repeat(10));
  });

  it('falls back to French when a translation is missing', () => {
    expect(localize({ fr: 'Bonjour', ar: 'مرحبا' }, 'ar')).toBe('مرحبا');
    expect(localize({ fr: 'Bonjour' }, 'en')).toBe('Bonjour');
  });
});

describe('Disaggregation', () => {
  it('spells sexes and age groups as the API does', () => {
    expect(AGE_GROUPS).toEqual(['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_59', 'AGE_60_PLUS']);
    expect(isSex('UNDISCLOSED')).toBe(true);
    expect(isSex('X')).toBe(false);
    expect(isAgeGroup('AGE_60_PLUS')).toBe(true);
    expect(isAgeGroup('18_24')).toBe(false);
  });

  it('accepts a consistent count', () => {
    const count = {
      female: 12,
      male: 8,
      undisclosed: 1,
      withDisability: 2,
      byAgeGroup: [
        { ageGroup: 'AGE_18_24' as const, count: 15 },
        { ageGroup: 'AGE_25_34' as const, count: 6 },
      ],
    };
    expect(disaggregatedTotal(count)).toBe(21);
    expect(disaggregatedCountIssues(count)).toEqual([]);
  });

  it('reports negative or fractional counts, excess disability and wrong age sums', () => {
    expect(disaggregatedCountIssues({ female: -1, male: 1.5, undisclosed: 0, withDisability: 0 })).toEqual([
      'female must be a non-negative integer',
      'male must be a non-negative integer',
    ]);
    expect(disaggregatedCountIssues({ female: 1, male: 0, undisclosed: 0, withDisability: 2 })).toEqual([
      'withDisability cannot exceed the total',
    ]);
    expect(
      disaggregatedCountIssues({ female: 3, male: 0, undisclosed: 0, withDisability: 0, byAgeGroup: [{ ageGroup: 'UNDER_18', count: 2 }] }),
    ).toEqual(['age groups sum to 2, not to the total 3']);
    expect(
      disaggregatedCountIssues({
        female: 2,
        male: 0,
        undisclosed: 0,
        withDisability: 0,
        byAgeGroup: [
          { ageGroup: 'UNDER_18', count: 1 },
          { ageGroup: 'UNDER_18', count: 1 },
        ],
      }),
    ).toEqual(['age group UNDER_18 appears twice']);
  });
});

describe('HumanRightsTag', () => {
  it('knows the tag kinds of the API', () => {
    expect(TAG_KINDS).toContain('UPR_RECOMMENDATION');
    expect(isTagKind('SDG_TARGET')).toBe(true);
    expect(isTagKind('sdg_target')).toBe(false);
    expect(isInstrument('CEDAW')).toBe(true);
  });

  it('accepts a tag with a known kind and a ref', () => {
    expect(isHumanRightsTag({ kind: 'SDG_TARGET', ref: '16.10' })).toBe(true);
    expect(isHumanRightsTag({ kind: 'SDG_TARGET', ref: ' ' })).toBe(false);
    expect(isHumanRightsTag({ kind: 'OTHER', ref: 'x' })).toBe(false);
    expect(isHumanRightsTag(null)).toBe(false);
  });

  it('keys a tag by its kind and its trimmed ref, for the reverse view', () => {
    expect(tagKey({ kind: 'UPR_RECOMMENDATION', ref: '4-148.12' })).toBe('UPR_RECOMMENDATION:4-148.12');
    expect(tagKey({ kind: 'SDG_TARGET', ref: ' 16.10 ' })).toBe('SDG_TARGET:16.10');
    expect(tagKey({ kind: 'SDG_TARGET', ref: '16.10' })).not.toBe(tagKey({ kind: 'NATIONAL_PLAN_MEASURE', ref: '16.10' }));
  });
});
