import mongoose, { type Connection } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { ensureEqualityIndexes } from '@hrp/context-kit';
import { isolation, testInfra } from '@hrp/testing';
import { auditEntryOf, type AuditEntryDoc, type AuditFilter } from './audit-entry';
import { AUDIT_BUCKET_KEYS, AUDIT_BUCKETS, AUDIT_ENTRIES, AUDIT_ENTRY_KEYS, AuditTrailStore } from './audit-trail.store';

/*
 * The audit trail's walk on the real store, against the answer of a plain filter and sort of
 * everything written: every filter (stream, actor by subject and by username, type, context,
 * period, and combinations), both orders, paged with every page size, returns exactly the next
 * entries; writing every batch again changes nothing.
 */
jest.setTimeout(120_000);

const CONTEXTS = ['campaigns', 'training', 'finance'];
const ACTORS = [
  ['sub-a', 'amina'],
  ['sub-b', 'brahim'],
  ['sub-c', 'chaima'],
  ['sub-a2', 'amina'], // the same username with another subject (a user deleted and made again)
];
const TYPES = ['CampaignCreated', 'SessionPlanned', 'FundsCommitted', 'ExpenseRecorded'];

function events(): { event: StoredEvent; context: string }[] {
  const out: { event: StoredEvent; context: string }[] = [];
  const start = Date.parse('2026-10-30T22:00:00Z');
  for (let i = 0; i < 900; i++) {
    const context = CONTEXTS[i % 3];
    const [subject, username] = ACTORS[(i * 7) % 4];
    // Uneven gaps: several events in the same millisecond, and weeks with none.
    const t = start + Math.floor(i / 3) * 37 * 60_000 + (i % 50 === 0 ? 40 * 86_400_000 : 0);
    out.push({
      context,
      event: {
        streamId: `${context}-s${i % 11}`,
        streamVersion: Math.floor(i / 11) + 1,
        position: i + 1,
        type: TYPES[(i + Math.floor(i / 4)) % 4],
        schemaVersion: 1,
        data: { i },
        metadata: { eventId: `e${i}`, time: new Date(t).toISOString(), actor: { subject, username }, correlationId: `c${i}` },
      },
    });
  }
  return out;
}

describe('the audit trail store', () => {
  let conn: Connection;
  let store: AuditTrailStore;
  const all = events().map(({ event, context }) => auditEntryOf(event, context));

  beforeAll(async () => {
    const iso = isolation('audit_trail');
    conn = await mongoose.createConnection(`${testInfra.mongoUrl}/${iso.dbName}`).asPromise();
    const postgresUrl = 'postgres://postgres@127.0.0.1:5433/postgres';
    await ensureEqualityIndexes(conn.db!, AUDIT_ENTRIES, AUDIT_ENTRY_KEYS, { postgresUrl });
    await ensureEqualityIndexes(conn.db!, AUDIT_BUCKETS, AUDIT_BUCKET_KEYS, { postgresUrl });
    store = new AuditTrailStore(conn.db!);
    for (let i = 0; i < all.length; i += 97) await store.write(all.slice(i, i + 97));
  });
  afterAll(async () => {
    await conn?.db?.dropDatabase().catch(() => undefined);
    await conn?.close();
  });

  const expected = (f: AuditFilter): string[] => {
    const subjects = f.actor ? ACTORS.filter(([s, u]) => s === f.actor || u === f.actor).map(([s]) => s) : [];
    return all
      .filter(
        (e) =>
          (!f.streamId || e.streamId === f.streamId) &&
          (!f.actor || subjects.includes(e.subject)) &&
          (!f.eventType || e.type === f.eventType) &&
          (!f.context || e.context === f.context) &&
          (!f.from || e.at >= f.from) &&
          (!f.to || e.at < f.to),
      )
      .map((e) => e._id)
      .sort((a, b) => (f.newestFirst ? (a < b ? 1 : -1) : a < b ? -1 : 1));
  };

  const walk = async (f: AuditFilter, size: number): Promise<string[]> => {
    const got: string[] = [];
    let after: string | null = null;
    for (let n = 0; n < 1000; n++) {
      const page: { entries: AuditEntryDoc[]; hasNextPage: boolean } = await store.page(f, size, after);
      got.push(...page.entries.map((e) => e._id));
      if (!page.hasNextPage) return got;
      expect(page.entries).toHaveLength(size);
      after = page.entries.at(-1)!._id;
    }
    throw new Error('no end');
  };

  const filters: AuditFilter[] = [
    {},
    { newestFirst: true },
    { streamId: 'training-s4' },
    { actor: 'sub-b' },
    { actor: 'amina' },
    { actor: 'amina', newestFirst: true, eventType: 'FundsCommitted' },
    { eventType: 'SessionPlanned' },
    { context: 'finance', newestFirst: true },
    { context: 'campaigns', eventType: 'CampaignCreated' },
    { from: '2026-11-01T03:10:00.000Z', to: '2026-11-02T00:00:00.000Z' },
    { actor: 'brahim', from: '2026-10-31T00:00:00.000Z', to: '2026-12-20T00:00:00.000Z', newestFirst: true },
    { actor: 'nobody' },
  ];

  it.each(filters)('pages %j exactly like a filter and sort of everything', async (f) => {
    const want = expected(f);
    if (f.actor !== 'nobody') expect(want.length).toBeGreaterThan(0);
    for (const size of [3, 50]) expect(await walk(f, size)).toEqual(want);
  });

  it('writes every batch again without a change (redelivery)', async () => {
    const before = await store.entries.countDocuments();
    const buckets = await store.buckets.countDocuments();
    // A fresh store (a restarted gateway) knows no bucket yet: everything is written again.
    const again = new AuditTrailStore(conn.db!);
    for (let i = 0; i < all.length; i += 250) await again.write(all.slice(i, i + 250));
    expect(await store.entries.countDocuments()).toBe(before);
    expect(before).toBe(all.length);
    expect(await store.buckets.countDocuments()).toBe(buckets);
    expect(await walk({ actor: 'amina' }, 50)).toEqual(expected({ actor: 'amina' }));
  });
});
