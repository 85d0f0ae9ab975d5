import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually } from './wait';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface RunningApp {
  name: string;
  url: string;
  port: number;
  /** Everything the app printed (JSON log lines). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a built app (`<dir>/dist/main.js`, what `npm start` runs) as a child process on its own
 * port with the given environment, and resolves once GET /health answers 200.
 */
export async function startApp(name: string, dir: string, port: number, env: Record<string, string>): Promise<RunningApp> {
  const main = path.join(ROOT, dir, 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${path.relative(ROOT, main)} is missing: run \`npm run build\` first (npm test does)`);
  // A process left on the port (another run's, killed mid-way) would answer for this one.
  const squatter = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) }).then(
    () => true,
    () => false,
  );
  if (squatter) throw new Error(`port ${port} is taken by another process (a ${name} left by another run?): stop it first`);
  let out = '';
  const proc: ChildProcess = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  };
  try {
    await eventually(
      `${name} on port ${port}`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}:\n${out}`);
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        // Not healthy yet: what /health says is the error a time-out reports.
        if (res.status !== 200) throw new Error(`/health answered ${res.status}: ${(await res.text()).slice(0, 400)}`);
        return true;
      },
      { timeoutMs: 45000, intervalMs: 200 },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { name, url: `http://127.0.0.1:${port}`, port, output: () => out, stop };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> & { code?: string } }[];
}

/** POSTs a GraphQL operation with an optional bearer token. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  try {
    return { status: res.status, ...(JSON.parse(text) as object) };
  } catch {
    return { status: res.status, errors: [{ message: text }] };
  }
}

/** The first error's code, for assertions. */
export function errorCode(r: GraphQLResponse): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}
