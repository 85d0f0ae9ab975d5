import mongoose from 'mongoose';
import { Wait } from 'testcontainers';
import { LoopbackContainer, containerFaults, disconnectNetworks, freePort, localImage, type ContainerFaults } from './runtime';

export interface StartedStore extends ContainerFaults {
  /** `mongodb://127.0.0.1:<port>/` */
  url: string;
  /** An open mongoose connection to a database of this store; the caller closes it. */
  connect(dbName: string): Promise<mongoose.Connection>;
  /** Cuts the container off its network until {@link StartedStore.reconnect}: the store runs on, unreachable. */
  disconnect(): Promise<void>;
  reconnect(): Promise<void>;
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
    ...containerFaults(container, 'store', () => pings(url)),
    url,
    connect: (dbName) => mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise(),
    disconnect: async () => {
      reconnect = await disconnectNetworks(container);
    },
    reconnect: async () => {
      await reconnect?.();
      reconnect = undefined;
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
