import mongoose, { type Connection } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { isolation, testInfra } from '@hrp/testing';
import { ReportingStore, sumFacts } from './reporting.store';

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
    // A cell's revision counts its rewrites, which differ between live and rebuilt; its sums may not.
    cells: (await store.cells.find({}, { projection: { rev: 0 } }).toArray()).sort((a, b) => (a._id < b._id ? -1 : 1)),
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
    // The cells (what sums read) agree with the facts, scope by scope.
    for (const [quarter, region] of [
      [null, null],
      [2, 'MA-02'],
      [3, null],
      [null, 'MA-01'],
    ] as const)
      expect(await live.sums('AWR-01', 2026, quarter, region)).toEqual(sumFacts(await live.factsOf('AWR-01', 2026, quarter, region)));
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

  it('keeps a cell exact when another writer sums it between this one’s read and write (the write is retried)', async () => {
    const events = campaignEvents(19);
    // Campaigns 0, 9 and 18 each hold an activity in January in MA-01: the same cell.
    const cell = 'AWR-01|2026|1|MA-01';
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    class Paused extends ReportingStore {
      private once = true;
      protected override async cellFacts(id: string) {
        const facts = await super.cellFacts(id);
        if (id === cell && this.once) {
          this.once = false;
          reached();
          await gate;
        }
        return facts;
      }
    }
    const first = await open('report_race');
    const slow = new Paused(first.db);
    const of = (stream: string) => events.filter((e) => e.streamId === stream);
    await first.apply('campaigns', of('campaign-18')); // the cell exists, revision 1
    const applying = slow.apply('campaigns', of('campaign-0'));
    await atGate; // the slow writer has read the cell's revision and facts: campaigns 18 and 0
    await first.apply('campaigns', of('campaign-9')); // another fact in the cell, summed and written
    release();
    await applying;
    const doc = await first.cells.findOne({ _id: cell });
    // The a0 of campaign 0: 0 + 2 people; of 9: 9 + 2; of 18: 18 + 2.
    expect(doc).toMatchObject({ n: 2 + 11 + 20, facts: 3 });
  });

  it('sums on redelivery the cells a crash left unsummed after the facts were written', async () => {
    const events = campaignEvents(1);
    class Crashing extends ReportingStore {
      protected override async recomputeCell(): Promise<void> {
        throw new Error('crash between the facts and the cells');
      }
    }
    const store = await open('report_crash');
    await expect(new Crashing(store.db).apply('campaigns', events)).rejects.toThrow('crash');
    expect(await store.facts.countDocuments({})).toBe(4); // the facts are written…
    expect((await store.sums('AWR-01', 2026)).facts).toBe(0); // …their cells are not
    await store.apply('campaigns', events); // redelivery: the same facts, nothing looks changed
    expect(await store.sums('AWR-01', 2026)).toMatchObject({ n: 2 + 3, facts: 2 });
    expect((await store.states.findOne({}))?.pending).toBeUndefined();
  });

  it('pages through a figure’s facts across its cells, each once', async () => {
    const store = await open('report_pages');
    await store.apply('campaigns', campaignEvents(30));
    for (const scope of [
      { quarter: null, region: null },
      { quarter: null, region: 'MA-02' },
      { quarter: 2, region: null },
    ]) {
      const all = await store.factsOf('AWR-01', 2026, scope.quarter, scope.region);
      const seen: string[] = [];
      let after: { cell: string; id: string } | null = null;
      for (;;) {
        const page = await store.factPage({ code: 'AWR-01', year: 2026, ...scope }, {}, after, 7);
        seen.push(...page.map((f) => f._id));
        if (page.length < 7) break;
        const last = page.at(-1)!;
        after = { cell: `${last.code}|${last.year}|${last.quarter}|${last.region}`, id: last._id };
      }
      expect(seen.length).toBe(all.length);
      expect(new Set(seen)).toEqual(new Set(all.map((f) => f._id)));
    }
  });

  it('sums the cells of facts written before cells existed', async () => {
    const events = campaignEvents(5);
    const store = await open('report_upgrade');
    await store.apply('campaigns', events);
    const before = await store.sums('AWR-01', 2026);
    // As an older version left it: facts without their cell, no cells.
    await store.facts.updateMany({}, { $unset: { c: '' } });
    await store.cells.deleteMany({});
    expect((await store.sums('AWR-01', 2026)).facts).toBe(0);
    expect(await store.upgrade()).toBeGreaterThan(0);
    expect(await store.sums('AWR-01', 2026)).toEqual(before);
    expect(await store.upgrade()).toBe(0);
  });
});
