import { Kafka, logLevel } from 'kafkajs';
import { Wait } from 'testcontainers';
import { LoopbackContainer, containerFaults, freePort, localImage, type ContainerFaults } from './runtime';

export interface StartedKafka extends ContainerFaults {
  /** `127.0.0.1:<port>`: the published port is the advertised one. */
  brokers: string[];
  /** A kafkajs client on the container (quiet). */
  kafka: Kafka;
}

/**
 * A disposable Kafka broker (KRaft, one combined node) from the local `hrp-kafka` image. Its host
 * port is fixed before the start (Kafka advertises it to clients): `port`, or a free one.
 */
export async function startKafka({ port, heap = '-Xms64m -Xmx384m' }: { port?: number; heap?: string } = {}): Promise<StartedKafka> {
  const image = localImage('kafka');
  const hostPort = port ?? (await freePort());
  const container = await new LoopbackContainer(image)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({ KAFKA_ADVERTISED: `127.0.0.1:${hostPort}`, KAFKA_HEAP_OPTS: heap })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(90_000)
    .start();
  const brokers = [`127.0.0.1:${hostPort}`];
  const kafka = new Kafka({ clientId: 'hrp-test', brokers, logLevel: logLevel.NOTHING });
  return { ...containerFaults(container, 'broker', () => answers(brokers)), brokers, kafka };
}

/** True once the broker answers a metadata request (a fresh client each time: no reconnect backoff). */
async function answers(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'hrp-test-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length > 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
