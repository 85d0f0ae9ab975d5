/**
 * Relay throughput (events/s) against a raw kafkajs producer on the same broker, same message
 * sizes, same batch size. Appends happen before the clock starts.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { EventStore } from '@hrp/event-store';
import { KafkaJsBus, Relay, eventsTopic, toMessage } from '@hrp/messaging';

const N = Number(process.env.BENCH_EVENTS ?? 3000);
const BATCH = 500;
const MONGO = process.env.HRP_MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (process.env.HRP_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

async function main(): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  const conn = await mongoose.createConnection(`${MONGO}/bench_relay_${tag}`).asPromise();
  const bus = new KafkaJsBus({ brokers: BROKERS, clientId: `bench-${tag}` });
  const topic = eventsTopic('campaigns', `bench.${tag}.`);
  const rawTopic = `bench.${tag}.raw`;
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
    await bus.deleteTopics([topic, rawTopic]).catch(() => undefined);
    await bus.close();
    await conn.db!.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
