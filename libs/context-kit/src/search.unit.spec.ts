import { MAX_TERM, searchFields, searchFilter, searchWordsOf } from './search';

/** What the store does with the filter, on one document (equality on an array = contains). */
function matches(doc: { searchTerms: string[]; searchWords: string }, filter: Record<string, unknown> | null): boolean {
  if (filter === null) return true;
  const one = (f: Record<string, unknown>): boolean =>
    Object.entries(f).every(([k, v]) => {
      if (k === '$and') return (v as Record<string, unknown>[]).every(one);
      if (k === 'searchTerms') {
        if (typeof v === 'string') return doc.searchTerms.includes(v);
        return (v as { $in: string[] }).$in.some((t) => doc.searchTerms.includes(t));
      }
      if (k === 'searchWords') return doc.searchWords.includes((v as { $regex: string }).$regex);
      throw new Error(`unexpected ${k}`);
    });
  return one(filter);
}

describe('search', () => {
  const doc = searchFields(['Caravane des droits de l’enfant — Fès', 'قافلة حقوق الطفل', 'Rights caravan', undefined]);

  it('keeps words of letters and digits, lower-cased, without accents', () => {
    expect(searchWordsOf('Égalité, l’ÉCOLE & 2030!')).toEqual(['egalite', 'l', 'ecole', '2030']);
    expect(searchWordsOf('قافلة حقوق')).toEqual(['قافلة', 'حقوق']);
  });

  it('stores every prefix of every word up to MAX_TERM characters, once', () => {
    expect(doc.searchTerms).toEqual(expect.arrayContaining(['c', 'ca', 'caravane', 'fes', 'enfant', 'قا', 'حقوق']));
    expect(new Set(doc.searchTerms).size).toBe(doc.searchTerms.length);
    const long = searchFields(['Internationalisation']);
    expect(long.searchTerms).toContain('internationa'.slice(0, MAX_TERM));
    expect(long.searchTerms.every((t) => t.length <= MAX_TERM)).toBe(true);
  });

  it.each([
    ['caravane', true],
    ['CARAVANE', true],
    ['fes', true],
    ['Fès', true],
    ['droit enf', true],
    ['  enfant   droits ', true],
    ['حقوق', true],
    ['rights carav', true],
    ['ravane', false], // not the start of a word
    ['caravanes', false],
    ['droits école', false],
  ])('"%s" matches: %s', (query, expected) => {
    expect(matches(doc, searchFilter(query))).toBe(expected);
  });

  it('narrows by the longest word, as a top-level equality the store pushes down', () => {
    expect(searchFilter('de caravane')).toEqual({ searchTerms: 'caravane', $and: [{ searchTerms: 'de' }] });
  });

  it('checks the whole start of a word longer than the stored prefixes', () => {
    const d = searchFields(['Internationalisation des droits']);
    expect(matches(d, searchFilter('internationalisation'))).toBe(true);
    expect(matches(d, searchFilter('internationalistes'))).toBe(false);
  });

  it('has no condition for an empty query and matches nothing without a word', () => {
    expect(searchFilter('   ')).toBeNull();
    expect(matches(doc, searchFilter('.*'))).toBe(false);
    expect(matches(doc, searchFilter('$ne'))).toBe(false);
    expect(JSON.stringify(searchFilter('$where {"$gt": ""}'))).not.toMatch(/"\$(where|gt)"/);
  });
});
