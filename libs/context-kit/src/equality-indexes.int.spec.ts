import mongoose, { type Connection } from 'mongoose';
import { Client } from 'pg';
import { isolation, testInfra } from '@hrp/testing';
import { ensureFerretDbGinIndexes, ginIndexName } from './equality-indexes';

/*
 * On the local store (FerretDB on PostgreSQL): the GIN indexes are made in FerretDB's PostgreSQL,
 * on the table FerretDB keeps for the collection, and PostgreSQL uses them for the condition
 * FerretDB pushes down for an equality (`_jsonb->'f' @> value`) — which its own b-tree indexes
 * never serve. Made twice: nothing changes. Without the PostgreSQL URL: none, and it says so.
 */
jest.setTimeout(60_000);

const POSTGRES = process.env.FERRETDB_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5433/postgres';

describe('GIN indexes for equality reads on FerretDB', () => {
  let conn: Connection;
  let pg: Client;
  let table: string;
  const iso = isolation('gin');

  beforeAll(async () => {
    conn = await mongoose.createConnection(`${testInfra.mongoUrl}/${iso.dbName}`).asPromise();
    await conn
      .db!.collection('things')
      .insertMany(Array.from({ length: 2000 }, (_, i) => ({ _id: `t${i}` as never, k: `k${i % 500}`, n: i })));
    pg = new Client({ connectionString: POSTGRES });
    await pg.connect();
    const found = await pg.query<{ table: string }>(
      `SELECT _jsonb->>'table' AS table FROM "${iso.dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'things'`,
    );
    table = found.rows[0].table;
  });
  afterAll(async () => {
    await pg?.end();
    await conn?.db?.dropDatabase().catch(() => undefined);
    await conn?.close();
  });

  const plan = async (field: string, value: string) => {
    await pg.query('SET enable_seqscan = off'); // a small table: ask whether the index can serve, not whether it is cheaper
    const r = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT _jsonb FROM "${iso.dbName}"."${table}" WHERE _jsonb->$1 @> $2`, [
      field,
      JSON.stringify(value),
    ]);
    await pg.query('RESET enable_seqscan');
    return r.rows.map((row) => row['QUERY PLAN']).join('\n');
  };

  it('makes one per field, which serves the pushed-down equality', async () => {
    expect(await plan('k', 'k7')).not.toContain('Index');
    const warnings: string[] = [];
    expect(await ensureFerretDbGinIndexes(conn.db!, 'things', ['_id', 'k'], { postgresUrl: POSTGRES, warn: (m) => warnings.push(m) })).toBe(
      'postgresql',
    );
    expect(warnings).toEqual([]);
    const names = (await pg.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [iso.dbName])).rows.map(
      (r) => r.indexname,
    );
    expect(names).toEqual(expect.arrayContaining([ginIndexName(table, '_id'), ginIndexName(table, 'k')]));
    expect(await plan('k', 'k7')).toContain(ginIndexName(table, 'k'));
    expect(await plan('_id', 't7')).toContain(ginIndexName(table, '_id'));
    // Through FerretDB, the answer is the same.
    expect(await conn.db!.collection('things').countDocuments({ k: 'k7' })).toBe(4);
    // Again: nothing new.
    expect(await ensureFerretDbGinIndexes(conn.db!, 'things', ['_id', 'k'], { postgresUrl: POSTGRES })).toBe('postgresql');
    const again = (await pg.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [iso.dbName])).rows.length;
    expect(again).toBe(names.length);
  });

  it('makes none without the URL or when PostgreSQL cannot be reached, and says so', async () => {
    const warnings: string[] = [];
    expect(await ensureFerretDbGinIndexes(conn.db!, 'things', ['n'], { warn: (m) => warnings.push(m) })).toBe('none');
    expect(
      await ensureFerretDbGinIndexes(conn.db!, 'things', ['n'], {
        postgresUrl: 'postgres://postgres@127.0.0.1:1/x',
        warn: (m) => warnings.push(m),
      }),
    ).toBe('none');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/scan/);
    expect(await plan('n', 'x')).not.toContain('Index');
  });
});
