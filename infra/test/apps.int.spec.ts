import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually, isolation } from '@hrp/testing';

const ROOT = path.resolve(__dirname, '..', '..');
/** The built artifacts `npm start` runs, on ports of this test's own (the real ones may be in use). */
const APPS = [
  { name: 'campaigns', main: 'services/campaigns/dist/main.js', checks: ['store', 'kafka', 'runtime'] },
  { name: 'training', main: 'services/training/dist/main.js', checks: ['store', 'kafka', 'runtime'] },
  { name: 'partnerships', main: 'services/partnerships/dist/main.js', checks: ['store', 'kafka', 'runtime'] },
  { name: 'advocacy', main: 'services/advocacy/dist/main.js', checks: ['store', 'kafka', 'runtime'] },
  { name: 'finance', main: 'services/finance/dist/main.js', checks: ['store', 'kafka', 'runtime'] },
  // Last: its health rolls up the subgraphs it routes to (campaigns, started above).
  {
    name: 'gateway',
    main: 'gateway/dist/main.js',
    checks: [
      'store',
      'kafka',
      'keycloak',
      // The audit trail's consumer and the admin stream's relay.
      'runtime',
      'subgraph:campaigns',
      'subgraph:training',
      'subgraph:partnerships',
      'subgraph:advocacy',
      'subgraph:finance',
    ],
  },
];
const CAMPAIGNS_URL = `http://127.0.0.1:${14100 + APPS.findIndex((a) => a.name === 'campaigns')}/graphql`;
const FINANCE_URL = `http://127.0.0.1:${14100 + APPS.findIndex((a) => a.name === 'finance')}/graphql`;
const TRAINING_URL = `http://127.0.0.1:${14100 + APPS.findIndex((a) => a.name === 'training')}/graphql`;
const PARTNERSHIPS_URL = `http://127.0.0.1:${14100 + APPS.findIndex((a) => a.name === 'partnerships')}/graphql`;
const ADVOCACY_URL = `http://127.0.0.1:${14100 + APPS.findIndex((a) => a.name === 'advocacy')}/graphql`;

describe('each service and the gateway, built, against the real infra', () => {
  const iso = isolation();
  const procs: ChildProcess[] = [];
  const logs = new Map<string, string>();

  beforeAll(() => {
    for (const app of APPS) {
      if (!fs.existsSync(path.join(ROOT, app.main))) throw new Error(`${app.main} is missing: run \`npm run build\` first (npm test does)`);
    }
  });
  afterAll(async () => {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
  });

  it.each(APPS.map((a, i) => [a.name, a, 14100 + i] as const))('%s boots and answers its health check', async (name, app, port) => {
    const proc = spawn(process.execPath, [app.main], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        MONGO_DB: `${iso.dbName}_${name}`,
        KAFKA_TOPIC_PREFIX: iso.topicPrefix,
        LOG_LEVEL: 'info',
        ...(name === 'gateway' ? { CAMPAIGNS_URL, TRAINING_URL, PARTNERSHIPS_URL, ADVOCACY_URL, FINANCE_URL } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.push(proc);
    logs.set(name, '');
    const collect = (b: Buffer) => logs.set(name, logs.get(name) + b.toString());
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);

    const body = await eventually(
      `${name} /health`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`${name} exited ${proc.exitCode}:\n${logs.get(name)}`);
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        return res.status === 200
          ? ((await res.json()) as { status: string; service: string; checks: Record<string, { status: string }> })
          : undefined;
      },
      { timeoutMs: 30000, intervalMs: 200 },
    );
    expect(body.status).toBe('ok');
    expect(body.service).toBe(name);
    expect(Object.keys(body.checks).sort()).toEqual([...app.checks].sort());

    // Structured JSON logs: every line of the app's own output parses and names the service.
    const lines = logs.get(name)!.trim().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ service: name });
  });
});
