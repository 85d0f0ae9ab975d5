import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HealthCheckError } from '@hrp/service-kit';
import { RuntimeHealth } from './health';
import { clockFrom, FileClock, ScheduledJob, SystemClock } from './jobs';

const until = async (what: string, ok: () => boolean, timeoutMs = 3000) => {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ScheduledJob', () => {
  const jobs: ScheduledJob[] = [];
  const job = (
    opts: Partial<ConstructorParameters<typeof ScheduledJob>[0]> & Pick<ConstructorParameters<typeof ScheduledJob>[0], 'run'>,
  ) => {
    const j = new ScheduledJob({ name: 'test-job', everyMs: 20, timeoutMs: 60_000, ...opts });
    jobs.push(j);
    return j;
  };
  afterEach(() => jobs.splice(0).forEach((j) => j.stop()));

  it('runs at start, then again every everyMs, and reports what the last run returned', async () => {
    let n = 0;
    const j = job({ run: async () => ({ n: ++n }) });
    expect(j.status()).toMatchObject({ state: 'waiting', runs: 0 });
    j.start();
    await until('three runs', () => j.status().runs >= 3);
    expect(j.status()).toMatchObject({ consecutiveFailures: 0, failures: 0 });
    expect((j.status().lastResult as { n: number }).n).toBeGreaterThanOrEqual(3);
    expect(j.status().lastSuccessAt).toBeDefined();
  });

  it('a failed run marks it failing, is retried, and a run that succeeds clears it', async () => {
    let fail = true;
    const j = job({
      everyMs: 10,
      run: async () => {
        if (fail) throw new Error('store unreachable');
        return { ok: true };
      },
    });
    j.start();
    await until('two failures', () => j.status().consecutiveFailures >= 2);
    expect(j.status()).toMatchObject({ state: 'failing', lastError: 'store unreachable' });
    fail = false;
    await until('a success', () => j.status().state === 'waiting' && j.status().consecutiveFailures === 0, 5000);
    expect(j.status().lastError).toBeUndefined();
    expect(j.status().failures).toBeGreaterThanOrEqual(2);
  });

  it('a run that outlives timeoutMs is abandoned by the watchdog and the job runs again', async () => {
    let calls = 0;
    const j = job({
      everyMs: 60_000,
      timeoutMs: 30,
      run: () => {
        calls++;
        return calls === 1 ? new Promise<void>(() => undefined) : Promise.resolve({ second: true });
      },
    });
    j.start();
    await until('the hung run', () => j.status().state === 'running');
    j.checkStalled(Date.now());
    expect(j.status().restarts).toBe(0);
    await new Promise((r) => setTimeout(r, 40));
    j.checkStalled(Date.now());
    expect(j.status().restarts).toBe(1);
    await until('the second run', () => j.status().runs === 1);
    expect(j.status().lastResult).toEqual({ second: true });
  });

  it('does not run after stop', async () => {
    let n = 0;
    const j = job({
      run: async () => {
        n++;
      },
    });
    j.start();
    await until('a run', () => n >= 1);
    j.stop();
    const seen = n;
    await new Promise((r) => setTimeout(r, 60));
    expect(n).toBe(seen);
    expect(j.status().state).toBe('stopped');
  });
});

describe('RuntimeHealth with jobs', () => {
  const report = (state: 'waiting' | 'failing') => ({
    consumers: [],
    jobs: [
      {
        name: 'agreement-expiry-check',
        state,
        runs: 3,
        failures: state === 'failing' ? 1 : 0,
        consecutiveFailures: state === 'failing' ? 1 : 0,
        restarts: 0,
        lastSuccessAt: Date.now() - 2000,
        ...(state === 'failing' ? { lastError: 'boom' } : { lastResult: { today: '2026-12-02' } }),
      },
    ],
  });

  it('shows each job, and is down while one is failing', async () => {
    const health = new RuntimeHealth(30_000);
    health.attach(async () => report('waiting'));
    await expect(health.check()).resolves.toMatchObject({
      jobs: { 'agreement-expiry-check': { state: 'waiting', runs: 3, secondsSinceSuccess: 2, lastResult: { today: '2026-12-02' } } },
    });
    health.attach(async () => report('failing'));
    const e = await health.check().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HealthCheckError);
    expect((e as Error).message).toContain('job agreement-expiry-check is failing (1 runs in a row): boom');
  });
});

describe('Clock', () => {
  it('reads the instant from CLOCK_FILE at every call; the machine clock otherwise; refused in production', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clock-')), 'now');
    fs.writeFileSync(file, '2027-03-01T08:00:00Z\n');
    const clock = clockFrom({ CLOCK_FILE: file, NODE_ENV: 'test' });
    expect(clock).toBeInstanceOf(FileClock);
    expect(clock.today()).toBe('2027-03-01');
    fs.writeFileSync(file, '2027-03-02T00:00:00Z');
    expect(clock.today()).toBe('2027-03-02');
    fs.writeFileSync(file, 'tomorrow');
    expect(() => clock.now()).toThrow(/does not hold an ISO 8601 instant/);
    expect(clockFrom({ CLOCK_FILE: '', NODE_ENV: 'production' })).toBeInstanceOf(SystemClock);
    expect(() => clockFrom({ CLOCK_FILE: file, NODE_ENV: 'production' })).toThrow(/refused in production/);
  });
});
