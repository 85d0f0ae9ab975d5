import * as fs from 'node:fs';
import { Logger } from '@nestjs/common';

/**
 * The time as a context sees it. Services take it by injection (`Clock`), never from `new Date()`
 * where a business day is decided (an agreement's expiry, "today" of an activation), so tests
 * can drive the day of running processes.
 */
export abstract class Clock {
  abstract now(): Date;

  /** Today as a UTC calendar day, YYYY-MM-DD. */
  today(): string {
    return this.now().toISOString().slice(0, 10);
  }
}

/** The machine's clock. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock read from a file holding an ISO 8601 instant, read at every call: a test writes the
 * day, and every instance of the service (several processes, restarts included) sees it.
 * Refused in production (see {@link clockFrom}).
 */
export class FileClock extends Clock {
  constructor(readonly file: string) {
    super();
  }

  now(): Date {
    const text = fs.readFileSync(this.file, 'utf8').trim();
    const at = Date.parse(text);
    if (Number.isNaN(at))
      throw new Error(`clock file ${this.file} does not hold an ISO 8601 instant: ${JSON.stringify(text.slice(0, 40))}`);
    return new Date(at);
  }
}

/** The clock the configuration asks for: `CLOCK_FILE` (tests only) or the machine's. */
export function clockFrom(config: { readonly CLOCK_FILE: string; readonly NODE_ENV: string }): Clock {
  if (!config.CLOCK_FILE) return new SystemClock();
  if (config.NODE_ENV === 'production') throw new Error('CLOCK_FILE drives the clock in tests: it is refused in production');
  return new FileClock(config.CLOCK_FILE);
}

/** What a scheduled job reports to /health and `infra status`. */
export interface JobStatus {
  readonly name: string;
  /** `waiting` for its next run, `running`, or `failing` (its last run failed; retried with a back-off). */
  readonly state: 'waiting' | 'running' | 'failing' | 'stopped';
  readonly runs: number;
  readonly failures: number;
  readonly consecutiveFailures: number;
  readonly restarts: number;
  readonly lastRunAt?: number;
  readonly lastSuccessAt?: number;
  /** When the run in progress started (state `running`). */
  readonly runningSince?: number;
  readonly nextRunAt?: number;
  readonly lastError?: string;
  /** What the last successful run returned (counts, the day it ran for). */
  readonly lastResult?: Record<string, unknown>;
}

export interface ScheduledJobOptions {
  readonly name: string;
  /** Milliseconds from the end of a run to the start of the next (the first run is at start). */
  readonly everyMs: number;
  /** A run longer than this is abandoned and the job restarted (the watchdog, {@link ScheduledJob.checkStalled}). */
  readonly timeoutMs: number;
  readonly run: () => Promise<Record<string, unknown> | void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * A job run at start and then every `everyMs` in one process. A failed run is logged and retried
 * sooner (1 s doubling up to `everyMs`); a run that outlives `timeoutMs` is abandoned and the job
 * restarted (logged). Runs never overlap within an instance; across instances, the job must be
 * idempotent (the kit's jobs decide on event streams with expected versions: a second instance
 * writes nothing).
 */
export class ScheduledJob {
  private readonly log: Logger;
  private timer?: NodeJS.Timeout;
  private generation = 0;
  private stopped = true;
  private s: { -readonly [K in keyof JobStatus]: JobStatus[K] };

  constructor(private readonly opts: ScheduledJobOptions) {
    this.log = new Logger(`job:${opts.name}`);
    this.s = { name: opts.name, state: 'waiting', runs: 0, failures: 0, consecutiveFailures: 0, restarts: 0 };
  }

  start(): void {
    this.stopped = false;
    this.schedule(0, this.generation);
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.timer);
    this.s.state = 'stopped';
  }

  status(): JobStatus {
    return { ...this.s };
  }

  /** Abandons the run in progress (its outcome is ignored) and runs again at once. */
  restart(reason: string): void {
    if (this.stopped) return;
    this.log.warn(`restarting: ${reason}`);
    this.s.restarts++;
    this.generation++;
    clearTimeout(this.timer);
    this.s.runningSince = undefined;
    this.schedule(0, this.generation);
  }

  /** The watchdog's check: a run longer than `timeoutMs` is restarted. */
  checkStalled(now = Date.now()): void {
    const since = this.s.runningSince;
    if (this.s.state === 'running' && since !== undefined && now - since > this.opts.timeoutMs)
      this.restart(`a run has lasted ${Math.round((now - since) / 1000)} s (limit ${Math.round(this.opts.timeoutMs / 1000)} s)`);
  }

  private schedule(delayMs: number, generation: number): void {
    if (this.stopped || generation !== this.generation) return;
    this.s.nextRunAt = Date.now() + delayMs;
    if (this.s.state !== 'failing') this.s.state = 'waiting';
    this.timer = setTimeout(() => void this.tick(generation), delayMs);
    this.timer.unref();
  }

  private async tick(generation: number): Promise<void> {
    if (this.stopped || generation !== this.generation) return;
    const started = Date.now();
    this.s.state = 'running';
    this.s.runningSince = started;
    this.s.nextRunAt = undefined;
    let next = this.opts.everyMs;
    try {
      const result = await this.opts.run();
      if (generation !== this.generation) return;
      this.s.runs++;
      this.s.lastRunAt = started;
      this.s.lastSuccessAt = Date.now();
      this.s.consecutiveFailures = 0;
      this.s.lastError = undefined;
      this.s.lastResult = result ?? undefined;
      this.s.state = 'waiting';
    } catch (e) {
      if (generation !== this.generation) return;
      this.s.runs++;
      this.s.failures++;
      this.s.consecutiveFailures++;
      this.s.lastRunAt = started;
      this.s.lastError = message(e);
      this.s.state = 'failing';
      next = Math.min(this.opts.everyMs, 1000 * 2 ** Math.min(this.s.consecutiveFailures - 1, 10));
      this.log.error(`run failed (${this.s.consecutiveFailures} in a row), next try in ${Math.round(next / 1000)} s: ${message(e)}`);
    } finally {
      if (generation === this.generation) this.s.runningSince = undefined;
    }
    this.schedule(next, generation);
  }
}
