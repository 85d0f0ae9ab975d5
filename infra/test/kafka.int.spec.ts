import { Kafka, logLevel } from 'kafkajs';
import { eventually, isolation, testInfra } from '@hrp/testing';

describe('Kafka broker (real, KRaft)', () => {
  const iso = isolation();
  const topic = `${iso.topicPrefix}acceptance`;
  const kafka = new Kafka({ clientId: iso.tag, brokers: [...testInfra.kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic with 3 partitions', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(3);
  });

  it('delivers 1,000 keyed messages to a consumer group, in order per key', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const keys = Array.from({ length: 10 }, (_, i) => `stream-${i}`);
    const messages = Array.from({ length: 1000 }, (_, n) => ({ key: keys[n % keys.length], value: JSON.stringify({ n }) }));
    for (let i = 0; i < messages.length; i += 100) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 100) });
    }
    await producer.disconnect();

    const received = new Map<string, number[]>();
    let count = 0;
    const consumer = kafka.consumer({ groupId: `${iso.topicPrefix}group`, sessionTimeout: 10000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key!.toString();
        const { n } = JSON.parse(message.value!.toString()) as { n: number };
        received.set(key, [...(received.get(key) ?? []), n]);
        count++;
      },
    });
    await eventually('1,000 messages', () => count >= 1000, { timeoutMs: 45000 });
    await consumer.disconnect();

    expect(count).toBe(1000);
    for (const key of keys) {
      const ns = received.get(key)!;
      expect(ns).toHaveLength(100);
      expect(ns).toEqual([...ns].sort((a, b) => a - b)); // per-key order preserved
    }
  });
});
