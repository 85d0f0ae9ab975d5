/**
 * Relay throughput (events/s) against a raw kafkajs producer on the same broker, same message
 * sizes, same batch size. Appends happen before the clock starts.
 */
import { Kafka, logLevel } from 'kafkajs';
import { EventStore } from '@hrp/event-store';
import { Relay, eventsTopic, toMessage } from '@hrp/messaging';
import { BROKERS, openBench, runBench } from './harness';

const N = Number(process.env.BENCH_EVENTS ?? 3000);
const BATCH = 500;

async function main(): Promise<void> {
  const { tag, prefix, conn, bus, dispose } = await openBench('relay');
  const topic = eventsTopic('campaigns', prefix);
  const rawTopic = `${prefix}raw`;
  try {
    await bus.ensureTopics([{ topic }, { topic: rawTopic }]);
    const store = new EventStore(conn);
    await store.init();
    const meta = { time: new Date().toISOString(), actor: { subject: 'kc-sub', username: 'bench' }, correlationId: 'bench' };
    for (let i = 0; i < N; i++) await store.append(`s-${i % 100}`, Math.floor(i / 100), [{ type: 'ItemCounted', data: { n: i } }], meta);
    const events = (await store.readAll(1, { limit: N })).events;

    // Raw: the same envelopes, produced with a plain kafkajs producer in batches of BATCH.
    const kafka = new Kafka({ clientId: `raw-${tag}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = events.map((e) => toMessage(e, 'campaigns'));
    let t = performance.now();
    for (let i = 0; i < messages.length; i += BATCH) {
      await producer.send({
        topic: rawTopic,
        acks: -1,
        messages: messages.slice(i, i + BATCH).map((m) => ({ key: m.key, value: m.value as string, headers: { ...m.headers } })),
      });
    }
    const rawMs = performance.now() - t;
    await producer.disconnect();

    const relay = new Relay({
      context: 'campaigns',
      source: store,
      publisher: bus.publisher(),
      db: conn.db!,
      topic,
      batchSize: BATCH,
      pollIntervalMs: 5,
    });
    t = performance.now();
    relay.start();
    while ((await relay.checkpoint()) < events[events.length - 1].position) await new Promise((r) => setTimeout(r, 5));
    const relayMs = performance.now() - t;
    await relay.stop();

    // The same relay reading from memory: its own overhead (lease, fencing, checkpoint) without
    // the event store's readAll, which dominates on FerretDB.
    const memory = {
      readAll: async (from: number, { limit }: { limit: number }) => {
        const page = events.filter((e) => e.position >= from).slice(0, limit);
        return { events: page, nextPosition: page.length ? page[page.length - 1].position + 1 : from };
      },
    };
    const memRelay = new Relay({
      context: 'campaigns',
      source: memory,
      publisher: bus.publisher(),
      db: conn.db!,
      topic,
      batchSize: BATCH,
      pollIntervalMs: 5,
      collection: 'relay_leases_memory',
    });
    t = performance.now();
    memRelay.start();
    while ((await memRelay.checkpoint()) < events[events.length - 1].position) await new Promise((r) => setTimeout(r, 5));
    const memMs = performance.now() - t;
    await memRelay.stop();

    const raw = (N / rawMs) * 1000;
    const rel = (N / relayMs) * 1000;
    const mem = (N / memMs) * 1000;
    console.log(
      JSON.stringify({
        bench: 'relay',
        events: N,
        batch: BATCH,
        rawKafkajsEventsPerSec: Math.round(raw),
        relayEventsPerSec: Math.round(rel),
        ratio: +(rel / raw).toFixed(3),
        relayFromMemoryEventsPerSec: Math.round(mem),
        ratioFromMemory: +(mem / raw).toFixed(3),
      }),
    );
  } finally {
    await dispose([topic, rawTopic]);
  }
}

runBench(main);
