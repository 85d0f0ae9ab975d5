import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { deadLetterTopic, eventsTopic, KafkaJsBus, toMessage } from '@hrp/messaging';
import { graphql, startApp, type GraphQLResponse, type RunningApp } from './apps';
import { isolation, testInfra, type Isolation } from './isolation';
import { startProxy, type TestProxy } from './proxy';

/** A stored event as the store holds it, read straight from the commits. */
export interface StoredEventRow {
  type: string;
  streamVersion: number;
  schemaVersion: number;
  metadata: Record<string, unknown>;
  data: Record<string, unknown>;
}

/**
 * One context as clients see it: the built service (one or more instances on one store, behind a
 * round-robin proxy when several) and the built gateway, as processes, on ports of the test file,
 * with a database and topic prefix of their own.
 */
export interface ContextStack {
  iso: Isolation;
  gateway: RunningApp;
  /** The service's instances (the first one is `service`). */
  instances: RunningApp[];
  service: RunningApp;
  /** Requests the round-robin proxy sent to each instance (one instance: no proxy, []). */
  forwarded(): number[];
  bus: KafkaJsBus;
  /** Sends an operation to the gateway with a token (and extra headers, e.g. Idempotency-Key). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  gql<T = Record<string, any>>(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Events the service stored (all streams), straight from the store. */
  storedEventCount(): Promise<number>;
  readStream(streamId: string): Promise<StoredEventRow[]>;
  /** Event types of one stream on the context's topic, in order, read from the start by a fresh group. */
  topicEventTypes(streamId: string): Promise<string[]>;
  /**
   * True once the context's consumer group `<name>` (a reaction or a projection) has committed
   * every message of `fromContext`'s topic: whatever was published before is handled.
   */
  consumedAll(name: string, fromContext: string): Promise<boolean>;
  /** Publishes an event of another context on its topic, as that context's relay would. */
  publishEvent(fromContext: string, streamId: string, type: string, data: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export interface ContextStackOptions {
  /** Environment of the service's instances. */
  env?: Record<string, string>;
  /** Instances of the service behind one URL (default 1). */
  instances?: number;
  /** Kafka of the service, the gateway and the stack's own clients (default: the shared test broker). */
  kafkaBrokers?: readonly string[];
}

/**
 * Starts `services/<context>` and the gateway on `basePort` (gateway) and `basePort + 1 …`
 * (instances), after `npm run build`. Call `stop()` in afterAll: it also drops the database and
 * deletes the topics.
 */
export async function startContextStack(context: string, basePort: number, opts: ContextStackOptions = {}): Promise<ContextStack> {
  const iso = isolation();
  const brokers = opts.kafkaBrokers ?? testInfra.kafkaBrokers;
  const env = { MONGO_DB: iso.dbName, KAFKA_TOPIC_PREFIX: iso.topicPrefix, KAFKA_BROKERS: brokers.join(',') };
  const instances: RunningApp[] = [];
  let proxy: TestProxy | undefined;
  let gateway: RunningApp;
  try {
    for (let i = 0; i < (opts.instances ?? 1); i++)
      instances.push(
        await startApp(i === 0 ? context : `${context}-${i + 1}`, `services/${context}`, basePort + 1 + i, { ...env, ...opts.env }),
      );
    if (instances.length > 1) proxy = await startProxy(instances.map((s) => s.url));
    // The gateway shares the service's environment (e.g. another KEYCLOAK_URL or MONGO_URL).
    gateway = await startApp('gateway', 'gateway', basePort, {
      ...env,
      ...opts.env,
      [`${context.toUpperCase()}_URL`]: `${proxy?.url ?? instances[0].url}/graphql`,
      [`${context.toUpperCase()}_DB`]: iso.dbName,
      // The gateway's own store (the admin stream), the test's own.
      GATEWAY_DB: `${iso.dbName}_gateway`,
      HEALTH_SUBGRAPHS: context,
    });
  } catch (e) {
    // Nothing left running on the test's ports when one of the apps does not come up.
    await Promise.allSettled(instances.map((a) => a.stop()));
    await proxy?.close();
    throw e;
  }
  const conn = await mongoose.createConnection(opts.env?.MONGO_URL ?? testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
  const commits = conn.db!.collection('es_commits');
  const bus = new KafkaJsBus({ brokers: [...brokers], clientId: `test-${iso.tag}` });
  const publisher = bus.publisher();
  const published = new Map<string, number>();
  const topics = new Set([eventsTopic(context, iso.topicPrefix), deadLetterTopic(iso.topicPrefix)]);
  return {
    iso,
    gateway,
    instances,
    service: instances[0],
    forwarded: () => [...(proxy?.forwarded ?? [])],
    bus,
    gql: (token, query, variables = {}, headers = {}) => graphql(`${gateway.url}/graphql`, query, variables, token, headers),
    async storedEventCount() {
      const all = await commits.find({}, { projection: { events: 1 } }).toArray();
      return all.reduce((n, c) => n + ((c.events as unknown[] | undefined)?.length ?? 0), 0);
    },
    async readStream(streamId) {
      const found = await commits.find({ streamId }).sort({ firstVersion: 1 }).toArray();
      return found.flatMap((c) =>
        (c.events as { type: string; schemaVersion: number; metadata: Record<string, unknown>; data: Record<string, unknown> }[]).map(
          (e, i) => ({
            type: e.type,
            streamVersion: (c.firstVersion as number) + i,
            schemaVersion: e.schemaVersion,
            metadata: e.metadata,
            data: e.data,
          }),
        ),
      );
    },
    topicEventTypes: (streamId) => topicEventTypes(brokers, eventsTopic(context, iso.topicPrefix), `${iso.topicPrefix}reader`, streamId),
    async consumedAll(name, fromContext) {
      const topic = eventsTopic(fromContext, iso.topicPrefix);
      const committed = new Map(
        (await bus.groupOffsets(`${iso.topicPrefix}hrp.${context}.${name}`, topic)).map((p) => [p.partition, p.offset]),
      );
      return (await bus.topicOffsets(topic)).every((p) => BigInt(committed.get(p.partition) ?? '-1') >= BigInt(p.high) || p.high === p.low);
    },
    async publishEvent(fromContext, streamId, type, data) {
      const version = (published.get(streamId) ?? 0) + 1;
      published.set(streamId, version);
      const stored: StoredEvent = {
        streamId,
        streamVersion: version,
        position: version,
        type,
        schemaVersion: 1,
        data,
        metadata: {
          eventId: randomUUID(),
          time: new Date().toISOString(),
          actor: { subject: `test-${fromContext}`, username: `${fromContext}-events` },
          correlationId: randomUUID(),
        },
      };
      const topic = eventsTopic(fromContext, iso.topicPrefix);
      topics.add(topic);
      await publisher.publish(topic, [toMessage(stored, fromContext)]);
    },
    async stop() {
      await Promise.allSettled([gateway.stop(), ...instances.map((s) => s.stop())]);
      await proxy?.close();
      await publisher.close().catch(() => undefined);
      // The gateway's audit trail reads (so creates) every context's topic and its own.
      for (const c of [...PLATFORM_CONTEXTS, 'gateway']) topics.add(eventsTopic(c, iso.topicPrefix));
      await bus.deleteTopics([...topics]).catch(() => undefined);
      await bus.close().catch(() => undefined);
      await conn.dropDatabase().catch(() => undefined);
      await conn
        .useDb(`${iso.dbName}_gateway`)
        .dropDatabase()
        .catch(() => undefined);
      await conn.close();
    },
  };
}

async function topicEventTypes(brokers: readonly string[], topic: string, groupPrefix: string, streamId: string): Promise<string[]> {
  const kafka = new Kafka({ brokers: [...brokers], clientId: 'test-topic-reader', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const types: string[] = [];
  const consumer = kafka.consumer({ groupId: `${groupPrefix}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const remaining = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  await new Promise<void>((resolve) => {
    if (remaining.size === 0) return resolve();
    void consumer.run({
      // eslint-disable-next-line @typescript-eslint/require-await
      eachMessage: async ({ partition, message }) => {
        if (message.key?.toString() === streamId)
          types.push((JSON.parse(message.value!.toString()) as { type: string }).type.split('.')[2]);
        if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
        if (remaining.size === 0) resolve();
      },
    });
  });
  await consumer.disconnect();
  return types;
}

/** The five bounded contexts. */
const PLATFORM_CONTEXTS = ['campaigns', 'training', 'partnerships', 'advocacy', 'finance'] as const;

/** Several contexts behind one gateway, as the platform runs them (e.g. the funding process). */
export interface PlatformStack {
  iso: Isolation;
  gateway: RunningApp;
  services: Record<string, RunningApp>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  gql<T = Record<string, any>>(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Stops one service (SIGTERM); `start` brings it back on the same port, database and topics. */
  stopService(context: string): Promise<void>;
  startService(context: string): Promise<void>;
  readStream(context: string, streamId: string): Promise<StoredEventRow[]>;
  /** True once `context`'s consumer group `name` has committed every message of `fromContext`'s topic. */
  consumedAll(context: string, name: string, fromContext: string): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts `services/<context>` for each context (gateway on `basePort`, the services on
 * `basePort + 1 …`, in order), sharing one topic prefix, each with a database of its own (as in
 * production: `hrp_<context>`), after `npm run build`.
 */
export async function startPlatformStack(contexts: readonly string[], basePort: number): Promise<PlatformStack> {
  const iso = isolation();
  const brokers = testInfra.kafkaBrokers;
  const envOf = (context: string) => ({
    MONGO_DB: `${iso.dbName}_${context}`,
    KAFKA_TOPIC_PREFIX: iso.topicPrefix,
    KAFKA_BROKERS: brokers.join(','),
  });
  const services: Record<string, RunningApp> = {};
  const portOf = (context: string) => basePort + 1 + contexts.indexOf(context);
  const start = async (context: string) => {
    services[context] = await startApp(context, `services/${context}`, portOf(context), envOf(context));
  };
  let gateway: RunningApp;
  try {
    for (const c of contexts) await start(c);
    gateway = await startApp('gateway', 'gateway', basePort, {
      KAFKA_TOPIC_PREFIX: iso.topicPrefix,
      KAFKA_BROKERS: brokers.join(','),
      HEALTH_SUBGRAPHS: contexts.join(','),
      ...Object.fromEntries(contexts.map((c) => [`${c.toUpperCase()}_URL`, `${services[c].url}/graphql`])),
      // The audit reads each context's log (those not started: an empty database of the test's own).
      ...Object.fromEntries(PLATFORM_CONTEXTS.map((c) => [`${c.toUpperCase()}_DB`, envOf(c).MONGO_DB])),
      // The gateway's own store (the admin stream): the test's own, unless the test names one.
      GATEWAY_DB: process.env.GATEWAY_DB ?? `${iso.dbName}_gateway`,
    });
  } catch (e) {
    // Nothing left running on the test's ports when one of the apps does not come up.
    await Promise.allSettled(Object.values(services).map((s) => s.stop()));
    throw e;
  }
  const conns = Object.fromEntries(
    await Promise.all(
      contexts.map(
        async (c) => [c, await mongoose.createConnection(testInfra.mongoUrl, { dbName: envOf(c).MONGO_DB }).asPromise()] as const,
      ),
    ),
  );
  const bus = new KafkaJsBus({ brokers: [...brokers], clientId: `test-${iso.tag}` });
  return {
    iso,
    gateway,
    services,
    gql: (token, query, variables = {}, headers = {}) => graphql(`${gateway.url}/graphql`, query, variables, token, headers),
    stopService: (context) => services[context].stop(),
    startService: start,
    async readStream(context, streamId) {
      const found = await conns[context].db!.collection('es_commits').find({ streamId }).sort({ firstVersion: 1 }).toArray();
      return found.flatMap((c) =>
        (c.events as { type: string; schemaVersion: number; metadata: Record<string, unknown>; data: Record<string, unknown> }[]).map(
          (e, i) => ({
            type: e.type,
            streamVersion: (c.firstVersion as number) + i,
            schemaVersion: e.schemaVersion,
            metadata: e.metadata,
            data: e.data,
          }),
        ),
      );
    },
    async consumedAll(context, name, fromContext) {
      const topic = eventsTopic(fromContext, iso.topicPrefix);
      const committed = new Map(
        (await bus.groupOffsets(`${iso.topicPrefix}hrp.${context}.${name}`, topic)).map((p) => [p.partition, p.offset]),
      );
      return (await bus.topicOffsets(topic)).every((p) => BigInt(committed.get(p.partition) ?? '-1') >= BigInt(p.high) || p.high === p.low);
    },
    async stop() {
      await Promise.allSettled([gateway.stop(), ...Object.values(services).map((s) => s.stop())]);
      const topics = [...[...PLATFORM_CONTEXTS, 'gateway'].map((c) => eventsTopic(c, iso.topicPrefix)), deadLetterTopic(iso.topicPrefix)];
      await bus.deleteTopics(topics).catch(() => undefined);
      await bus.close().catch(() => undefined);
      const [first] = Object.values(conns);
      await first
        ?.useDb(`${iso.dbName}_gateway`)
        .dropDatabase()
        .catch(() => undefined);
      for (const conn of Object.values(conns)) {
        await conn.dropDatabase().catch(() => undefined);
        await conn.close();
      }
    },
  };
}
