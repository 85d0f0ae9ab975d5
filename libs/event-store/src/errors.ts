/**
 * True for a duplicate-key error (E11000) from a single write, or from a bulk write whose every
 * failure is one. FerretDB does not name the index in the message, so callers that need to know
 * which unique key collided must find out by reading.
 */
export function isDuplicateKeyError(e: unknown): boolean {
  const err = e as { code?: number; writeErrors?: { code?: number }[] | { code?: number } } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.code === 11000) return true;
  const we = err.writeErrors;
  if (Array.isArray(we)) return we.length > 0 && we.every((w) => w.code === 11000);
  return we?.code === 11000;
}
