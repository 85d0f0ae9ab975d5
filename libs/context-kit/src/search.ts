import { graphQLError } from '@hrp/graphql-kit';
/**
 * Word-prefix text search that the store can narrow by equality (FerretDB 1.x pushes down no
 * `$regex`; MongoDB answers an equality on an array field from a multikey index).
 *
 * A read model stores, for its searchable texts, `searchTerms`: every prefix (1 to
 * {@link MAX_TERM} characters) of every word, and `searchWords`: the words, space-separated,
 * after {@link normalizeText}. A search matches when every word of the query starts a word of
 * the texts, case and accents ignored ("fes" finds "Fès", "droit enf" finds "Droits de
 * l'enfant"). Its longest word becomes a top-level equality on `searchTerms` (the one the store
 * narrows by), the others conditions the store checks on the narrowed documents.
 */

/** Longest prefix stored per word; a longer query word also needs `searchWords` (exact check). */
export const MAX_TERM = 12;
/** Longest query accepted, in characters (the caller says BAD_USER_INPUT above it). */
export const MAX_SEARCH = 200;

/** Lower-cased, without diacritics (NFD marks dropped), words made of letters and digits. */
export function searchWordsOf(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** What a read model stores for its searchable texts (spread into the document). */
export function searchFields(texts: readonly (string | null | undefined)[]): { searchTerms: string[]; searchWords: string } {
  const words = [...new Set(texts.flatMap((t) => (typeof t === 'string' ? searchWordsOf(t) : [])))];
  const terms = new Set<string>();
  for (const w of words) {
    const chars = [...w];
    for (let n = 1; n <= Math.min(chars.length, MAX_TERM); n++) terms.add(chars.slice(0, n).join(''));
  }
  return { searchTerms: [...terms].sort(), searchWords: ` ${words.join(' ')}` };
}

/**
 * The store filter of a search (merged into the read model's filter), or null when the query has
 * no word (only spaces): no condition. A query with characters but no letter or digit (".*")
 * matches nothing. Words are letters and digits only, so no query character reaches the store as
 * an operator or a regular-expression token.
 */
export function searchFilter(query: string): Record<string, unknown> | null {
  if (query.trim().length === 0) return null;
  const words = [...new Set(searchWordsOf(query))].sort((a, b) => [...b].length - [...a].length);
  if (words.length === 0) return { searchTerms: { $in: [] } };
  const term = (w: string) => [...w].slice(0, MAX_TERM).join('');
  const filter: Record<string, unknown> = { searchTerms: term(words[0]) };
  const and: Record<string, unknown>[] = words.slice(1).map((w) => ({ searchTerms: term(w) }));
  // A word longer than the stored prefixes: check the whole word's start too.
  for (const w of words) if ([...w].length > MAX_TERM) and.push({ searchWords: { $regex: ` ${w}` } });
  if (and.length) filter.$and = and;
  return filter;
}

/**
 * Adds a list's `filter.search` to its store filter `q`: refused as BAD_USER_INPUT when it is not
 * a string of at most {@link MAX_SEARCH} characters; every word of it must start a word of the
 * read model's `searchTerms` (see {@link searchFilter}).
 */
export function addSearch(q: Record<string, unknown>, search: unknown, field = 'filter.search'): void {
  if (typeof search !== 'string' || search.length > MAX_SEARCH)
    throw graphQLError('BAD_USER_INPUT', `search is at most ${MAX_SEARCH} characters`, { field });
  const s = searchFilter(search);
  if (!s) return;
  const { $and, ...rest } = s as { $and?: unknown[] };
  Object.assign(q, rest);
  if ($and) q.$and = [...((q.$and as unknown[] | undefined) ?? []), ...$and];
}
