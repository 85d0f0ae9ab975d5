import { graphQLError } from './errors';

/**
 * Relay-style connections with stable cursors: a cursor encodes the sort key of its node (not an
 * offset), so inserts before it never shift a page.
 */
export interface Edge<T> {
  node: T;
  cursor: string;
}
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; anything else is BAD_USER_INPUT. */
export function decodeCursor<K extends Record<string, string | number>>(cursor: string, fields: (keyof K)[]): K {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (
        fields.every((f) => typeof o[f as string] === 'string' || typeof o[f as string] === 'number') &&
        Object.keys(o).length === fields.length
      )
        return o as K;
    }
  } catch {
    /* fall through */
  }
  throw graphQLError('BAD_USER_INPUT', 'invalid cursor', { field: 'after' });
}

/** Validates `first` (1…MAX_PAGE_SIZE). */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE)
    throw graphQLError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  return n;
}
