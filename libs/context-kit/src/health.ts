import { type HealthCheck, HealthCheckError } from '@hrp/service-kit';
import type { RelayStatus, SubscriberStatus } from '@hrp/messaging';
import type { JobStatus } from './jobs';

/** One consumer as the runtime sees it: its supervisor's status and its lag in events. */
export interface ConsumerReport extends SubscriberStatus {
  readonly name: string;
  /** Events on its topics it has not handled yet (null when Kafka could not be asked). */
  readonly lag: number | null;
}

/** What the runtime reports: its consumers and relay. */
export interface RuntimeReport {
  readonly consumers: readonly ConsumerReport[];
  readonly relay?: RelayStatus;
  readonly jobs?: readonly JobStatus[];
}

/**
 * /health's view of a context's moving parts: down when a consumer is not running, or has been
 * behind its topic with no progress for longer than `stallMs`, or when the relay keeps failing.
 * Details show each consumer's state, lag and seconds since progress.
 */
export class RuntimeHealth implements HealthCheck {
  readonly name = 'runtime';
  private source?: () => Promise<RuntimeReport>;

  constructor(readonly stallMs: number) {}

  attach(source: () => Promise<RuntimeReport>): void {
    this.source = source;
  }

  async check(): Promise<Record<string, unknown>> {
    if (!this.source) throw new Error('the runtime has not started yet');
    const report = await this.source();
    const now = Date.now();
    const problems: string[] = [];
    const consumers = Object.fromEntries(
      report.consumers.map((c) => {
        const idle = Math.round((now - c.lastProgressAt) / 1000);
        if (c.state !== 'running') problems.push(`${c.name} is ${c.state}${c.lastError ? ` (${c.lastError})` : ''}`);
        else if (c.lag !== null && c.lag > 0 && now - c.lastProgressAt > this.stallMs)
          problems.push(`${c.name} is ${c.lag} events behind with no progress for ${idle} s`);
        return [
          c.name,
          {
            state: c.state,
            lag: c.lag,
            secondsSinceProgress: idle,
            restarts: c.restarts,
            ...(c.lastError ? { lastError: c.lastError } : {}),
          },
        ];
      }),
    );
    const r = report.relay;
    if (r?.lastError && now - r.lastProgressAt > this.stallMs) problems.push(`the relay keeps failing: ${r.lastError}`);
    const jobs = Object.fromEntries(
      (report.jobs ?? []).map((j) => {
        if (j.state === 'failing') problems.push(`job ${j.name} is failing (${j.consecutiveFailures} runs in a row): ${j.lastError}`);
        const ago = (t?: number) => (t === undefined ? null : Math.round((now - t) / 1000));
        return [
          j.name,
          {
            state: j.state,
            runs: j.runs,
            failures: j.failures,
            restarts: j.restarts,
            secondsSinceSuccess: ago(j.lastSuccessAt),
            ...(j.runningSince !== undefined ? { runningForSeconds: ago(j.runningSince) } : {}),
            ...(j.lastError ? { lastError: j.lastError } : {}),
            ...(j.lastResult ? { lastResult: j.lastResult } : {}),
          },
        ];
      }),
    );
    const details = {
      consumers,
      ...(report.jobs?.length ? { jobs } : {}),
      ...(r
        ? {
            relay: {
              holdsLease: r.holdsLease,
              position: r.position,
              published: r.published,
              ...(r.lastError ? { lastError: r.lastError } : {}),
            },
          }
        : {}),
    };
    if (problems.length > 0) throw new HealthCheckError(problems.join('; '), details);
    return details;
  }
}
