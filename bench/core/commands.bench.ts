/**
 * Commands per second through the generic command handler (load → fold → decide → append), on
 * one hot stream (one instance, then two instances on one store) and on 1,000 streams (two
 * instances), `CONCURRENCY` commands in flight, none with an expected version. Baseline in the
 * same run: bare `EventStore.append` of the same events ('any' version, no load, no decide),
 * same pattern. Counts the commands that failed (CONFLICT) too.
 *
 *   node -r ./bench/register.js bench/core/commands.bench.ts
 *   env: BENCH_HOT (commands on the hot stream, default 300), BENCH_SPREAD (default 1000), CONCURRENCY (default 30)
 */
import type { Command, Decider } from '@hrp/domain-kit';
import { EventSourcedHandler, EventStore } from '@hrp/event-store';
import { openBench, runBench } from './harness';

const hot = Number(process.env.BENCH_HOT ?? 300);
const spread = Number(process.env.BENCH_SPREAD ?? 1000);
const concurrency = Number(process.env.CONCURRENCY ?? 30);

type Add = Command<'Add', { by: number }>;
type Added = { type: 'Added'; data: { by: number } };
const counter: Decider<Add, Added, { total: number }> = {
  initialState: () => ({ total: 0 }),
  decide: (c) => [{ type: 'Added', data: { by: c.data.by } }],
  evolve: (s, e) => ({ total: s.total + e.data.by }),
};
const metadata = { now: new Date().toISOString(), actor: { subject: 'bench', username: 'bench' }, correlationId: 'bench' };

interface Figure {
  scenario: string;
  commands: number;
  failed: number;
  ms: number;
  perSec: number;
}

async function measure(scenario: string, tasks: (() => Promise<unknown>)[]): Promise<Figure> {
  let next = 0;
  let failed = 0;
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) await tasks[next++]().catch(() => failed++);
    }),
  );
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const ok = tasks.length - failed;
  console.error(`${scenario}: ${ok} ok, ${failed} failed in ${Math.round(ms)} ms`);
  return { scenario, commands: tasks.length, failed, ms: Math.round(ms), perSec: Math.round((ok / ms) * 1000) };
}

runBench(async () => {
  const b = await openBench('commands');
  try {
    const stores = [new EventStore(b.conn, { collectionPrefix: 'h_' }), new EventStore(b.conn, { collectionPrefix: 'h_' })];
    for (const s of stores) await s.init();
    const handlers = stores.map((s) => new EventSourcedHandler(s, counter));
    const raw = [new EventStore(b.conn, { collectionPrefix: 'r_' }), new EventStore(b.conn, { collectionPrefix: 'r_' })];
    for (const s of raw) await s.init();
    const command = (i: number): Add => ({ type: 'Add', data: { by: i }, metadata });
    const range = (k: number) => Array.from({ length: k }, (_, i) => i);
    const appendRaw = (i: number, stream: string) => () =>
      raw[i % 2].append(stream, 'any', [{ type: 'Added', data: { by: i } }], {
        time: metadata.now,
        actor: metadata.actor,
        correlationId: 'bench',
      });
    const figures = [
      await measure(
        'raw append, 1 hot stream',
        range(hot).map((i) => appendRaw(i, 'raw-hot')),
      ),
      await measure(
        'commands, 1 hot stream, 1 instance',
        range(hot).map((i) => () => handlers[0].handle('hot-1', command(i))),
      ),
      await measure(
        'commands, 1 hot stream, 2 instances',
        range(hot).map((i) => () => handlers[i % 2].handle('hot-2', command(i))),
      ),
      await measure(
        'raw append, 1,000 streams',
        range(spread).map((i) => appendRaw(i, `raw-${i % 1000}`)),
      ),
      await measure(
        'commands, 1,000 streams, 2 instances',
        range(spread).map((i) => () => handlers[i % 2].handle(`s-${i % 1000}`, command(i))),
      ),
    ];
    const ratio = (a: Figure, base: Figure) => Math.round((a.perSec / base.perSec) * 100) / 100;
    console.log(
      JSON.stringify({
        bench: 'commands',
        concurrency,
        instances: 2,
        figures,
        ratios: { hot1: ratio(figures[1], figures[0]), hot2: ratio(figures[2], figures[0]), spread: ratio(figures[4], figures[3]) },
      }),
    );
  } finally {
    await b.dispose([]);
  }
});
