/**
 * Projection rebuild from the start of a topic (events/s) against raw kafkajs consumption of
 * the same topic (a consumer group that only counts messages).
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { KafkaJsBus, MongoProjection, deadLetterTopic, eventsTopic, toMessage } from '@hrp/messaging';

const N = Number(process.env.BENCH_EVENTS ?? 3000);
const MONGO = process.env.HRP_MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (process.env.HRP_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

async function main(): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  const prefix = `bench.${tag}.`;
  const conn = await mongoose.createConnection(`${MONGO}/bench_rebuild_${tag}`).asPromise();
  const bus = new KafkaJsBus({ brokers: BROKERS, clientId: `bench-${tag}` });
  const topic = eventsTopic('campaigns', prefix);
  const dlq = deadLetterTopic(prefix);
  const kafka = new Kafka({ clientId: `raw-${tag}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const groups = [`${prefix}raw`];
  try {
    await bus.ensureTopics([{ topic }, { topic: dlq, partitions: 1 }]);
    const publisher = bus.publisher();
    const events: StoredEvent[] = Array.from({ length: N }, (_, i) => ({
      streamId: `s-${i % 100}`,
      streamVersion: Math.floor(i / 100) + 1,
      position: i + 1,
      type: 'ItemCounted',
      schemaVersion: 1,
      data: { n: i },
      metadata: {
        eventId: `${tag}-${i}`,
        time: new Date().toISOString(),
        actor: { subject: 'kc-sub', username: 'bench' },
        correlationId: 'bench',
      },
    }));
    for (let i = 0; i < N; i += 500)
      await publisher.publish(
        topic,
        events.slice(i, i + 500).map((e) => toMessage(e, 'campaigns')),
      );
    await publisher.close();

    // Raw: a consumer group that counts the messages (join included, as for the rebuild).
    const consumer = kafka.consumer({ groupId: `${prefix}raw`, sessionTimeout: 6000, heartbeatInterval: 1000, maxWaitTimeInMs: 100 });
    let seen = 0;
    let t = performance.now();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ partitionsConsumedConcurrently: 3, eachBatch: async ({ batch }) => void (seen += batch.messages.length) });
    while (seen < N) await new Promise((r) => setTimeout(r, 5));
    const rawMs = performance.now() - t;
    await consumer.disconnect();

    const projection = new MongoProjection({
      name: 'bench_counter',
      db: conn.db!,
      handlers: { ItemCounted: (e) => ({ $inc: { count: 1 }, $set: { last: (e.data as { n: number }).n } }) },
    });
    t = performance.now();
    const r = await projection.rebuild({ bus, topics: [topic], dlqTopic: dlq, groupPrefix: prefix });
    const rebuildMs = performance.now() - t;
    await projection.stop();
    groups.push(`${prefix}bench_counter.v${r.generation}`);

    const raw = (N / rawMs) * 1000;
    const reb = (N / rebuildMs) * 1000;
    console.log(
      JSON.stringify({
        bench: 'rebuild',
        events: N,
        rawKafkajsEventsPerSec: Math.round(raw),
        rebuildEventsPerSec: Math.round(reb),
        ratio: +(reb / raw).toFixed(3),
      }),
    );
  } finally {
    const admin = kafka.admin();
    await admin.connect().catch(() => undefined);
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await bus.deleteTopics([topic, dlq]).catch(() => undefined);
    await bus.close();
    await conn.db!.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
