import type { LoggerService } from '@nestjs/common';
import { currentContext } from './context';

const LEVELS = { debug: 10, verbose: 10, log: 20, info: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = keyof typeof LEVELS;

/**
 * Structured JSON logs, one object per line, with the service name and the request's
 * correlation id and actor. Messages are written by our code; never log personal data
 * (participants, contacts) or tokens.
 */
export class JsonLogger implements LoggerService {
  private readonly min: number;

  constructor(
    private readonly service: string,
    level: 'debug' | 'info' | 'warn' | 'error' = 'info',
    private readonly out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  ) {
    this.min = LEVELS[level];
  }

  private write(level: Level, message: unknown, rest: unknown[]) {
    if (LEVELS[level] < this.min) return;
    const ctx = currentContext();
    // Nest passes the context name as the last string argument and a stack before it for errors.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: level === 'log' ? 'info' : level === 'verbose' ? 'debug' : level,
      service: this.service,
      context,
      msg: message instanceof Error ? message.message : typeof message === 'string' ? message : undefined,
      correlationId: ctx?.correlationId,
      actor: ctx?.actor?.username,
    };
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) Object.assign(entry, message);
    if (message instanceof Error && message.stack) entry.stack = message.stack;
    else if (level === 'error' && typeof rest[0] === 'string') entry.stack = rest[0];
    this.out(JSON.stringify(entry));
  }

  log(message: unknown, ...rest: unknown[]) {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }
}
