import { Kafka, logLevel } from 'kafkajs';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { LoopbackContainer, freePort, localImage, pauseContainer, unpauseContainer } from './runtime';

export interface StartedKafka {
  container: StartedTestContainer;
  /** `127.0.0.1:<port>`: the published port is the advertised one. */
  brokers: string[];
  /** A kafkajs client on the container (quiet). */
  kafka: Kafka;
  pause(): Promise<void>;
  unpause(): Promise<void>;
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
  return {
    container,
    brokers,
    kafka: new Kafka({ clientId: 'hrp-test', brokers, logLevel: logLevel.NOTHING }),
    pause: () => pauseContainer(container),
    unpause: () => unpauseContainer(container),
    stop: async () => {
      await container.stop();
    },
  };
}
