import * as http from 'node:http';
import * as net from 'node:net';
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

export type TcpProxyMode = 'pass' | 'hang' | 'refuse';

export interface TcpProxy {
  /** `127.0.0.1:<port>` */
  address: string;
  port: number;
  /**
   * `pass` forwards; `hang` keeps connections open but forwards nothing (a store that stopped
   * answering); `refuse` cuts every connection and refuses new ones. Back to `pass` resumes.
   */
  set(mode: TcpProxyMode): void;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 to `target` (host:port) whose connections a test can hang or cut. */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host, port] = target.split(':') as [string, string];
  let mode: TcpProxyMode = 'pass';
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = net.connect(Number(port), host);
    const pair = { client, upstream };
    pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk: Buffer) => {
        // Hung: the bytes are dropped, as by a peer that stopped reading and answering.
        if (mode === 'pass') to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: own } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${own}`,
    port: own,
    set(next) {
      mode = next;
      if (next === 'refuse' || next === 'pass') {
        // A hang leaves half-sent exchanges behind: start afresh either way.
        for (const p of pairs) {
          p.client.destroy();
          p.upstream.destroy();
        }
        pairs.clear();
      }
    },
    close: () =>
      new Promise<void>((r) => {
        for (const p of pairs) {
          p.client.destroy();
          p.upstream.destroy();
        }
        server.close(() => r());
      }),
  };
}
