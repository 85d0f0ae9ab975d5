/**
 * Projection rebuild from the start of a topic (events/s) against raw kafkajs consumption of
 * the same topic (a consumer group that only counts messages), in the same run. The rebuild
 * folds the topic in memory and inserts one document per stream: BENCH_STREAMS sets how many
 * documents that is (the store's insert rate bounds rebuilds of many small streams).
 *
 * Also printed, to see where the time goes: `busMs`/`busParseMs`, the same topic read through
 * our transport (counting only / parsing each envelope), `messagesPerBatch` as our handlers get
 * them, and the rebuild's phases (join, read + fold, insert, switch).
 */
import { Kafka, logLevel } from 'kafkajs';
import type { StoredEvent } from '@hrp/contracts';
import { MongoProjection, deadLetterTopic, eventsTopic, parseMessage, toMessage, type MessageBus } from '@hrp/messaging';
import { BROKERS, openBench, runBench } from './harness';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 100);

/**
 * A consumer through our own transport (supervised subscriber, offsets committed after each
 * handler call) that only counts, or also parses each envelope as every consumer does. Returns
 * the ms to read N and the handler calls.
 */
async function viaBus(bus: MessageBus, groupId: string, topic: string, parse: boolean): Promise<{ ms: number; batches: number }> {
  let seen = 0;
  let batches = 0;
  const t = performance.now();
  const sub = bus.subscriber({ groupId, topics: [topic], fromBeginning: true, partitionsConsumedConcurrently: 3 });
  await sub.run(async (batch) => {
    if (parse) for (const m of batch.messages) if (!parseMessage(m).ok) throw new Error('unparseable');
    seen += batch.messages.length;
    batches++;
  });
  while (seen < N) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - t;
  await sub.stop();
  return { ms, batches };
}

async function main(): Promise<void> {
  const { tag, prefix, conn, bus, dispose } = await openBench('rebuild');
  const topic = eventsTopic('campaigns', prefix);
  const dlq = deadLetterTopic(prefix);
  const kafka = new Kafka({ clientId: `raw-${tag}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const groups = [`${prefix}raw`];
  try {
    await bus.ensureTopics([{ topic }, { topic: dlq, partitions: 1 }]);
    const publisher = bus.publisher();
    const events: StoredEvent[] = Array.from({ length: N }, (_, i) => ({
      streamId: `s-${i % STREAMS}`,
      streamVersion: Math.floor(i / STREAMS) + 1,
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

    groups.push(`${prefix}bus`, `${prefix}bus-parse`);
    const busOnly = await viaBus(bus, `${prefix}bus`, topic, false);
    const busParse = await viaBus(bus, `${prefix}bus-parse`, topic, true);

    const projection = new MongoProjection({
      name: 'bench_counter',
      db: conn.db!,
      handlers: { ItemCounted: (e) => ({ $inc: { count: 1 }, $set: { last: (e.data as { n: number }).n } }) },
    });
    // The projection exists (its pointer does), as for any projection rebuilt in a running service.
    await projection.activeGeneration();
    t = performance.now();
    const r = await projection.rebuild({ bus, topics: [topic], dlqTopic: dlq, groupPrefix: prefix });
    const rebuildMs = performance.now() - t;
    groups.push(projection.consumer()!.groupId);
    await projection.stop();

    const raw = (N / rawMs) * 1000;
    const reb = (N / rebuildMs) * 1000;
    console.log(
      JSON.stringify({
        bench: 'rebuild',
        events: N,
        streams: STREAMS,
        rawKafkajsEventsPerSec: Math.round(raw),
        rawMs: Math.round(rawMs),
        rebuildEventsPerSec: Math.round(reb),
        rebuildMs: Math.round(rebuildMs),
        ratio: +(reb / raw).toFixed(3),
        messages: r.messages,
        documents: r.documents,
        phases: r.phases,
        // The same topic through our transport: counting only, then parsing every envelope.
        busMs: Math.round(busOnly.ms),
        busParseMs: Math.round(busParse.ms),
        messagesPerBatch: Math.round(N / busOnly.batches),
      }),
    );
  } finally {
    const admin = kafka.admin();
    await admin.connect().catch(() => undefined);
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await dispose([topic, dlq]);
  }
}

runBench(main);
