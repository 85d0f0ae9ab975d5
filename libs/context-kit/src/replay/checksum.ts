import { createHash } from 'node:crypto';

/**
 * A value as canonical JSON: object keys sorted, dates and BSON values tagged (`{"$date": …}`),
 * so that two documents the store returns are equal exactly when their canonical forms are.
 * `undefined` is `null` (the driver stores it so).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : `{"$number":"${String(value)}"}`;
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return `{"$long":"${value}"}`;
  if (value instanceof Date) return `{"$date":${JSON.stringify(Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString())}}`;
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (Buffer.isBuffer(value)) return `{"$binary":"${value.toString('base64')}"}`;
  const bson = (value as { _bsontype?: string })._bsontype;
  if (typeof bson === 'string') {
    const v = value as { toHexString?: () => string; buffer?: Uint8Array; toString(): string };
    const text = v.toHexString?.() ?? (v.buffer instanceof Uint8Array ? Buffer.from(v.buffer).toString('base64') : v.toString());
    return `{"$${bson}":${JSON.stringify(text)}}`;
  }
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** SHA-256 of a document's canonical JSON, without the top-level fields in `ignore`. */
export function documentChecksum(doc: Readonly<Record<string, unknown>>, ignore: ReadonlySet<string> = new Set()): string {
  const kept = ignore.size === 0 ? doc : Object.fromEntries(Object.entries(doc).filter(([k]) => !ignore.has(k)));
  return createHash('sha256').update(canonicalJson(kept)).digest('hex');
}
