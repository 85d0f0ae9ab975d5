import mongoose from 'mongoose';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { LoopbackContainer, localImage, pauseContainer, unpauseContainer } from './runtime';

export interface StartedStore {
  container: StartedTestContainer;
  /** `mongodb://127.0.0.1:<port>/` */
  url: string;
  /** An open mongoose connection to a database of this store; the caller closes it. */
  connect(dbName: string): Promise<mongoose.Connection>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  stop(): Promise<void>;
}

/** A disposable store — FerretDB 1.24 on its own PostgreSQL — from the local `hrp-store` image. */
export async function startStore(): Promise<StartedStore> {
  const container = await new LoopbackContainer(localImage('store'))
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forAll([Wait.forLogMessage(/ferretdb listening/), Wait.forListeningPorts()]))
    .withStartupTimeout(60_000)
    .start();
  const url = `mongodb://127.0.0.1:${container.getMappedPort(27017)}/`;
  return {
    container,
    url,
    connect: (dbName) => mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise(),
    pause: () => pauseContainer(container),
    unpause: () => unpauseContainer(container),
    stop: async () => {
      await container.stop();
    },
  };
}
