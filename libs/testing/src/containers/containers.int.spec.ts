import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { jwtPayload } from '../keycloak';
import { startKafka, type StartedKafka } from './kafka';
import { startKeycloak, type StartedKeycloak } from './keycloak';
import { publishedAddresses } from './runtime';
import { startStore, type StartedStore } from './store';

// Disposable containers from the images infra/ builds (Jest's global setup prepares them).
// Start-up times go to stderr, for the record.
const timed = async <T>(what: string, start: () => Promise<T>): Promise<T> => {
  const t = Date.now();
  const r = await start();
  process.stderr.write(`[containers] ${what} started in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  return r;
};

describe('Testcontainers modules on the local images', () => {
  describe('a Kafka container', () => {
    let broker: StartedKafka;
    let producer: Producer;
    let consumer: Consumer | undefined;
    const topic = `containers-${randomUUID()}`;

    beforeAll(async () => {
      broker = await timed('Kafka', () => startKafka());
      producer = broker.kafka.producer({ allowAutoTopicCreation: true });
      await producer.connect();
    }, 120_000);
    afterAll(async () => {
      await consumer?.disconnect();
      await producer?.disconnect();
      await broker?.stop();
    });

    it('is published on 127.0.0.1 only and advertises that address', async () => {
      expect(await publishedAddresses(broker.container)).toEqual(['127.0.0.1']);
      expect(broker.brokers).toEqual([`127.0.0.1:${broker.container.getMappedPort(9092)}`]);
    });

    it('delivers everything produced to a consumer group (at least once: a rebalance may repeat some)', async () => {
      const ids = Array.from({ length: 20 }, () => randomUUID());
      await producer.send({ topic, messages: ids.map((id) => ({ key: id, value: id })) });
      consumer = broker.kafka.consumer({ groupId: `g-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen = new Set<string>();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${seen.size} of ${ids.length} messages arrived`)), 30_000);
        void consumer!.run({
          eachMessage: async ({ message }) => {
            seen.add(message.value!.toString());
            if (seen.size >= ids.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      expect([...seen].sort()).toEqual([...ids].sort());
    });

    describe('when paused (every process frozen) and then unpaused', () => {
      it('holds a produce sent during the pause and acknowledges it after the unpause; the next one lands after it', async () => {
        await broker.pause();
        let settled = false;
        const during = producer
          .send({ topic, acks: -1, timeout: 30_000, messages: [{ key: 'pause', value: 'during' }] })
          .finally(() => (settled = true));
        await new Promise((r) => setTimeout(r, 3000));
        // Frozen: nothing answered the produce while the broker was paused.
        expect(settled).toBe(false);
        await broker.unpause();
        const [during1] = await during;
        const [after] = await producer.send({ topic, acks: -1, messages: [{ key: 'pause', value: 'after' }] });
        expect(during1.errorCode).toBe(0);
        expect(after.errorCode).toBe(0);
        // One key, one partition: the later produce lands after the one that waited.
        expect(after.partition).toBe(during1.partition);
        expect(BigInt(after.baseOffset!)).toBeGreaterThan(BigInt(during1.baseOffset!));
      }, 60_000);
    });
  });

  describe('a store container', () => {
    let store: StartedStore;
    beforeAll(async () => {
      store = await timed('store', () => startStore());
    }, 90_000);
    afterAll(() => store?.stop());

    it('stores documents and finds them by an equality', async () => {
      const conn = await store.connect(`containers_${randomUUID().slice(0, 8)}`);
      try {
        const coll = conn.collection('things');
        await coll.insertMany([
          { _id: 'a' as never, kind: 'x', n: 1 },
          { _id: 'b' as never, kind: 'y', n: 2 },
          { _id: 'c' as never, kind: 'x', n: 3 },
        ]);
        const found = await coll.find({ kind: 'x' }).sort({ n: 1 }).toArray();
        expect(found.map((d) => d._id)).toEqual(['a', 'c']);
        await expect(coll.insertOne({ _id: 'a' as never })).rejects.toThrow(/E11000|duplicate/);
      } finally {
        await conn.close();
      }
    });
  });

  describe('a Keycloak container', () => {
    let keycloak: StartedKeycloak;
    beforeAll(async () => {
      keycloak = await timed('Keycloak', () => startKeycloak());
    }, 200_000);
    afterAll(() => keycloak?.stop());

    it('is published on 127.0.0.1 only (HTTP and management)', async () => {
      expect(await publishedAddresses(keycloak.container)).toEqual(['127.0.0.1', '127.0.0.1']);
    });

    it('issues a token of realm hrp to a dev user, with its role', async () => {
      const claims = jwtPayload(await keycloak.token('director')) as { iss: string; realm_access: { roles: string[] } };
      expect(claims.iss).toBe(`${keycloak.url}/realms/hrp`);
      expect(claims.realm_access.roles).toContain('director');
    });

    it('refuses a wrong password', async () => {
      await expect(keycloak.token('director', 'not-the-password')).rejects.toThrow(/401|invalid_grant/);
    });
  });
});
