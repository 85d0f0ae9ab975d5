import { createHash } from 'node:crypto';
import type { mongo } from 'mongoose';
import { Client } from 'pg';
import { listIndexesServe } from './paging';

/**
 * Indexes for reads by equality on a field, on both stores:
 *
 * - MongoDB: `{<field>: 1, _id: 1}` (the field's matches in `_id` order).
 * - FerretDB 1.24 on PostgreSQL keeps each collection as a table of one `_jsonb` column and pushes
 *   an equality `{f: v}` down as `_jsonb->'f' @> v`. Its own indexes are b-trees, which `@>` does
 *   not use, so every read scans the table (at 1,000,000 documents: 170 ms). A GIN index on the
 *   expression `(_jsonb->'f')`, made in PostgreSQL, serves that condition (3 ms; see
 *   bench/README.md, audit trail). FerretDB does not make one, so this does, through the
 *   PostgreSQL it runs on (`postgresUrl`), naming the table from FerretDB's own metadata. Without
 *   that URL, or when PostgreSQL cannot be reached, reads stay right, only slower: it says so.
 */
export async function ensureEqualityIndexes(
  db: mongo.Db,
  collection: string,
  fields: readonly string[],
  opts: { postgresUrl?: string; warn?: (message: string) => void } = {},
): Promise<'mongodb' | 'postgresql' | 'none'> {
  await db.createCollection(collection).catch(() => undefined);
  if (await listIndexesServe(db)) {
    const col = db.collection(collection);
    const existing = new Set((await col.listIndexes().toArray()).map((i: { name?: unknown }) => String(i.name)));
    for (const f of fields) if (!existing.has(`${f}__id`)) await col.createIndexes([{ key: { [f]: 1, _id: 1 }, name: `${f}__id` }]);
    return 'mongodb';
  }
  return ensureFerretDbGinIndexes(db, collection, fields, opts);
}

/**
 * On FerretDB only (a no-op on MongoDB, whose own indexes serve equalities): GIN indexes on
 * `(_jsonb->'<field>')` for each field (`_id` included: FerretDB's `_id` index does not serve its
 * reads either), made in its PostgreSQL. Collections that do not exist yet are skipped.
 */
export async function ensureFerretDbGinIndexes(
  db: mongo.Db,
  collection: string,
  fields: readonly string[],
  opts: { postgresUrl?: string; warn?: (message: string) => void } = {},
): Promise<'mongodb' | 'postgresql' | 'none'> {
  if (await listIndexesServe(db)) return 'mongodb';
  if (!opts.postgresUrl) {
    opts.warn?.(`${collection}: no FerretDB PostgreSQL URL, so reads by ${fields.join(', ')} scan the collection`);
    return 'none';
  }
  const pg = new Client({ connectionString: opts.postgresUrl, connectionTimeoutMillis: 5000 });
  try {
    await pg.connect();
    const schema = db.databaseName;
    const found = await pg.query<{ table: string }>(
      `SELECT _jsonb->>'table' AS table FROM ${ident(schema)}._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1`,
      [collection],
    );
    const table = found.rows[0]?.table;
    if (!table) return 'none';
    for (const f of fields) {
      if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(f)) throw new Error(`not an indexable field name: ${f}`);
      const path = f
        .split('.')
        .map((p) => `->'${p}'`)
        .join('');
      await pg.query(
        `CREATE INDEX IF NOT EXISTS ${ident(ginIndexName(table, f))} ON ${ident(schema)}.${ident(table)} USING gin ((_jsonb${path}))`,
      );
    }
    return 'postgresql';
  } catch (e) {
    opts.warn?.(
      `${collection}: no GIN indexes in FerretDB's PostgreSQL (${e instanceof Error ? e.message : String(e)}), so reads by ${fields.join(', ')} scan the collection`,
    );
    return 'none';
  } finally {
    await pg.end().catch(() => undefined);
  }
}

/** PostgreSQL cuts identifiers at 63 bytes: a short name, unique per table and field. */
export function ginIndexName(table: string, field: string): string {
  return `hrp_gin_${createHash('sha1').update(`${table}\0${field}`).digest('hex').slice(0, 24)}`;
}

function ident(name: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}
