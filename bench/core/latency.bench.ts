/**
 * Latency from append to projection applied (p50/p99) through the whole chain: event store ->
 * relay -> Kafka -> projection consumer -> MongoDB. The appender hands its events to the relay
 * (`offer`), as a service's command handler does. Two phases in one run:
 *   - idle: BENCH_IDLE appends (40), one at a time, each once the previous one is applied;
 *   - load: BENCH_RATE appends/s (200) for BENCH_SECONDS (60).
 */
import { EventStore } from '@hrp/event-store';
import { MongoProjection, Relay, deadLetterTopic, eventsTopic } from '@hrp/messaging';
import { openBench, runBench } from './harness';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const IDLE = Number(process.env.BENCH_IDLE ?? 40);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const { tag, prefix, conn, bus, dispose } = await openBench('latency');
  const topic = eventsTopic('campaigns', prefix);
  const dlq = deadLetterTopic(prefix);
  const started = new Map<string, number>();
  const latencies: number[] = [];
  try {
    await bus.ensureTopics([{ topic }, { topic: dlq, partitions: 1 }]);
    const store = new EventStore(conn);
    await store.init();
    const projection = new MongoProjection({
      name: 'bench_latency',
      db: conn.db!,
      handlers: { ItemCounted: () => ({ $inc: { count: 1 } }) },
      onApplied: (events) => {
        const now = performance.now();
        for (const e of events) {
          const t0 = started.get(e.metadata.eventId);
          if (t0 !== undefined) {
            latencies.push(now - t0);
            started.delete(e.metadata.eventId);
          }
        }
      },
    });
    await projection.start({ bus, topics: [topic], dlqTopic: dlq, groupPrefix: prefix });
    const relay = new Relay({
      context: 'campaigns',
      source: store,
      publisher: bus.publisher(),
      db: conn.db!,
      topic,
      batchSize: 500,
    });
    relay.start();
    // Let the consumer join the group before measuring.
    await new Promise((r) => setTimeout(r, 3000));

    const heads = new Map<string, number>();
    let seq = 0;
    const appendOne = async (): Promise<void> => {
      const i = seq++;
      const stream = `s-${i % 50}`;
      const head = heads.get(stream) ?? 0;
      const eventId = `${tag}-${i}`;
      started.set(eventId, performance.now());
      // Sequential appends: the store's position counter is not safe under concurrent callers on FerretDB.
      const r = await store.append(stream, head, [{ type: 'ItemCounted', data: { n: i } }], {
        eventId,
        time: new Date().toISOString(),
        actor: { subject: 'kc-sub', username: 'bench' },
        correlationId: 'bench',
      });
      heads.set(stream, r.nextExpectedVersion);
      relay.offer(r.events);
    };

    // Idle: one at a time.
    for (let i = 0; i < IDLE; i++) {
      const before = latencies.length;
      await appendOne();
      const until = Date.now() + 10_000;
      while (latencies.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, 50));
    }
    const idle = [...latencies].sort((a, b) => a - b);
    latencies.length = 0;

    const total = RATE * SECONDS;
    const t0 = performance.now();
    let lagging = 0;
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else lagging++;
      await appendOne();
    }
    const appendSeconds = (performance.now() - t0) / 1000;
    const until = Date.now() + 60000;
    while (latencies.length < total && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await relay.stop();
    await projection.stop();
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        bench: 'latency',
        idle: {
          events: idle.length,
          p50Ms: Math.round(pct(idle, 50)),
          p99Ms: Math.round(pct(idle, 99)),
          maxMs: Math.round(idle.at(-1) ?? NaN),
        },
        targetRate: RATE,
        seconds: SECONDS,
        achievedAppendRate: Math.round(total / appendSeconds),
        appendsBehindSchedule: lagging,
        events: total,
        measured: sorted.length,
        p50Ms: Math.round(pct(sorted, 50)),
        p99Ms: Math.round(pct(sorted, 99)),
        maxMs: Math.round(sorted[sorted.length - 1] ?? NaN),
      }),
    );
  } finally {
    await dispose([topic, dlq]);
  }
}

runBench(main);
