import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestProxy {
  url: string;
  /** Requests forwarded so far, per target index. */
  readonly forwarded: number[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  /**
   * Called with each complete upstream response before it is relayed; return 'drop' to cut the
   * client's connection instead (the upstream did the work, the client never hears of it).
   */
  onResponse?: (info: { index: number; status: number; body: Buffer }) => 'pass' | 'drop';
}

/**
 * A plain HTTP proxy on 127.0.0.1 for tests: round-robin over `targets` (e.g. two instances of a
 * service behind one URL), optionally dropping responses to simulate a connection cut after the
 * server committed.
 */
export async function startProxy(targets: readonly string[], opts: ProxyOptions = {}): Promise<TestProxy> {
  const forwarded = targets.map(() => 0);
  let next = 0;
  let count = 0;
  const server = http.createServer((req, res) => {
    const i = next++ % targets.length;
    forwarded[i]++;
    const index = count++;
    const target = new URL(req.url ?? '/', targets[i]);
    const up = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (upRes) => {
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('end', () => {
        const body = Buffer.concat(chunks);
        if (opts.onResponse?.({ index, status: upRes.statusCode ?? 0, body }) === 'drop') {
          req.socket.destroy();
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        res.end(body);
      });
    });
    up.on('error', () => req.socket.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
