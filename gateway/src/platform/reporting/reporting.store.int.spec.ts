import mongoose, { type Connection } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { isolation, testInfra } from '@hrp/testing';
import { ReportingStore } from './reporting.store';

/*
 * The reporting projections on the real store: batches applied live, then every message
 * delivered again (in other batches), then a rebuild (a fresh database, everything in one batch)
 * — the facts and sums are the same each time. A stream whose facts change (an activity held
 * later) has its facts replaced, not added to.
 */
jest.setTimeout(60_000);

function campaignEvents(n: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  let position = 0;
  for (let c = 0; c < n; c++) {
    const stream = `campaign-${c}`;
    let version = 0;
    const ev = (type: string, data: Record<string, unknown>): StoredEvent => ({
      streamId: stream,
      streamVersion: ++version,
      position: ++position,
      type,
      schemaVersion: 1,
      data: { campaignId: stream, ...data },
      metadata: {
        eventId: `${stream}-${version}`,
        time: '2026-01-01T00:00:00Z',
        actor: { subject: 's', username: 'u' },
        correlationId: 'c',
      },
    });
    out.push(ev('CampaignCreated', {}));
    for (let a = 0; a < 3; a++)
      out.push(
        ev('ActivityScheduled', {
          activityId: `a${a}`,
          kind: 'WORKSHOP',
          date: `2026-0${1 + ((c + a) % 9)}-15`,
          region: `MA-0${1 + (a % 9)}`,
        }),
      );
    for (let a = 0; a < 2; a++)
      out.push(ev('ActivityHeld', { activityId: `a${a}`, participants: { female: c + a, male: 2, undisclosed: 0, withDisability: 1 } }));
  }
  return out;
}

describe('the reporting store', () => {
  const conns: Connection[] = [];
  const open = async (label: string) => {
    const c = await mongoose.createConnection(`${testInfra.mongoUrl}/${isolation(label).dbName}`).asPromise();
    conns.push(c);
    return new ReportingStore(c.db!);
  };
  afterAll(async () => {
    for (const c of conns) {
      await c.db?.dropDatabase().catch(() => undefined);
      await c.close();
    }
  });

  const snapshot = async (store: ReportingStore) => ({
    facts: (await store.facts.find({}).toArray()).sort((a, b) => (a._id < b._id ? -1 : 1)),
    sums: await store.sums('AWR-01', 2026),
    q2: await store.sums('AWR-01', 2026, 2, 'MA-02'),
  });

  it('gives the same facts live, after redelivery of everything, and rebuilt', async () => {
    const events = campaignEvents(30);
    const live = await open('report_live');
    for (let i = 0; i < events.length; i += 17) await live.apply('campaigns', events.slice(i, i + 17));
    const first = await snapshot(live);
    // Expected by hand: each campaign c holds a0 (c + 2 people) and a1 (c + 3): sum over c of 2c + 5.
    expect(first.sums.n).toBe(Array.from({ length: 30 }, (_, c) => 2 * c + 5).reduce((a, b) => a + b, 0));
    expect(first.sums.facts).toBe(60);
    // Redelivery, in other batches.
    for (let i = 0; i < events.length; i += 23) await live.apply('campaigns', events.slice(i, i + 23));
    expect(await snapshot(live)).toEqual(first);
    // Rebuild: a fresh store, one batch.
    const rebuilt = await open('report_rebuilt');
    await rebuilt.apply('campaigns', events);
    expect(await snapshot(rebuilt)).toEqual(first);
  });

  it('replaces a stream’s facts when its state changes', async () => {
    const events = campaignEvents(1);
    const store = await open('report_replace');
    await store.apply('campaigns', events.slice(0, 4)); // created, three scheduled: nothing held
    expect((await store.sums('AWR-01', 2026)).facts).toBe(0);
    await store.apply('campaigns', events.slice(4, 5)); // a0 held
    expect(await store.sums('AWR-01', 2026)).toMatchObject({ n: 2, facts: 1 });
    await store.apply('campaigns', events.slice(5)); // a1 held
    expect(await store.sums('AWR-01', 2026)).toMatchObject({ n: 2 + 3, facts: 2 });
    expect(await store.facts.countDocuments({ stream: 'campaign-0' })).toBe(4); // AWR-01 and AWR-02, two activities
  });
});
