import net from 'node:net';
import { testInfra } from '@hrp/testing';
import { StoreHealth } from './health';

/*
 * The store check recovers from a store that was away when the app started: a first connect
 * that failed is not kept (mongoose never retries it), the next check connects again.
 */
jest.setTimeout(30_000);

describe('StoreHealth', () => {
  it('reports the store down while it is unreachable, and up once it answers, without a restart', async () => {
    const store = new URL(testInfra.mongoUrl);
    // A port that refuses connections until a forwarder to the real store listens on it.
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    const health = new StoreHealth(`mongodb://127.0.0.1:${port}/health_test`);
    const forwarder = net.createServer((client) => {
      const upstream = net.connect(Number(store.port || 27017), store.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    try {
      await expect(health.check()).rejects.toThrow();
      await new Promise<void>((r) => forwarder.listen(port, '127.0.0.1', r));
      await expect(health.check()).resolves.toBeUndefined();
    } finally {
      await health.onModuleDestroy();
      await new Promise<void>((r) => forwarder.close(() => r()));
    }
  });
});
