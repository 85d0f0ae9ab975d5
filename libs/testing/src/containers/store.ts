import mongoose from 'mongoose';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { eventually } from '../wait';
import {
  LoopbackContainer,
  disconnectNetworks,
  freePort,
  haltContainer,
  killContainer,
  localImage,
  pauseContainer,
  startContainerAgain,
  unpauseContainer,
} from './runtime';

export interface StartedStore {
  container: StartedTestContainer;
  /** `mongodb://127.0.0.1:<port>/` */
  url: string;
  /** An open mongoose connection to a database of this store; the caller closes it. */
  connect(dbName: string): Promise<mongoose.Connection>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** SIGKILL to FerretDB and PostgreSQL at once; the data stays in the container for {@link StartedStore.restart}. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM) that keeps the container and its data. */
  halt(): Promise<void>;
  /** Starts the killed or halted store again on the same port, with its data; resolves once it answers a ping. */
  restart(): Promise<void>;
  /** Cuts the container off its network until {@link StartedStore.reconnect}: the store runs on, unreachable. */
  disconnect(): Promise<void>;
  reconnect(): Promise<void>;
  /** Stops and removes the container. */
  stop(): Promise<void>;
}

/**
 * A disposable store — FerretDB 1.24 on its own PostgreSQL — from the local `hrp-store` image. Its
 * host port is fixed at the start (`port`, or a free one) so that a restarted store keeps its URL.
 */
export async function startStore({ port }: { port?: number } = {}): Promise<StartedStore> {
  const hostPort = port ?? (await freePort());
  const container = await new LoopbackContainer(localImage('store'))
    .withExposedPorts({ container: 27017, host: hostPort })
    .withWaitStrategy(Wait.forAll([Wait.forLogMessage(/ferretdb listening/), Wait.forListeningPorts()]))
    .withStartupTimeout(60_000)
    .start();
  const url = `mongodb://127.0.0.1:${hostPort}/`;
  let reconnect: (() => Promise<void>) | undefined;
  return {
    container,
    url,
    connect: (dbName) => mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise(),
    pause: () => pauseContainer(container),
    unpause: () => unpauseContainer(container),
    kill: () => killContainer(container),
    halt: () => haltContainer(container),
    restart: async () => {
      await startContainerAgain(container);
      await eventually('the restarted store to answer a ping', () => pings(url), { timeoutMs: 90_000, intervalMs: 500 });
    },
    disconnect: async () => {
      reconnect = await disconnectNetworks(container);
    },
    reconnect: async () => {
      await reconnect?.();
      reconnect = undefined;
    },
    stop: async () => {
      await container.stop();
    },
  };
}

async function pings(url: string): Promise<boolean> {
  const conn = mongoose.createConnection(url, { serverSelectionTimeoutMS: 1000, maxPoolSize: 1 });
  conn.on('error', () => undefined);
  try {
    await conn.asPromise();
    await conn.db!.admin().ping();
    return true;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
