import { Kafka, logLevel } from 'kafkajs';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { eventually } from '../wait';
import {
  LoopbackContainer,
  freePort,
  haltContainer,
  killContainer,
  localImage,
  pauseContainer,
  startContainerAgain,
  unpauseContainer,
} from './runtime';

export interface StartedKafka {
  container: StartedTestContainer;
  /** `127.0.0.1:<port>`: the published port is the advertised one. */
  brokers: string[];
  /** A kafkajs client on the container (quiet). */
  kafka: Kafka;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** SIGKILL to the broker; its log stays in the container for {@link StartedKafka.restart}. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM) that keeps the container and its log. */
  halt(): Promise<void>;
  /** Starts the killed or halted broker again on the same port, with its log; resolves once it answers. */
  restart(): Promise<void>;
  /** Stops and removes the container. */
  stop(): Promise<void>;
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
  return {
    container,
    brokers,
    kafka,
    pause: () => pauseContainer(container),
    unpause: () => unpauseContainer(container),
    kill: () => killContainer(container),
    halt: () => haltContainer(container),
    restart: async () => {
      await startContainerAgain(container);
      await eventually('the restarted broker to answer', () => answers(brokers), { timeoutMs: 90_000, intervalMs: 500 });
    },
    stop: async () => {
      await container.stop();
    },
  };
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
