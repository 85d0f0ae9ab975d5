import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and every event of a request carries: who, and under which correlation. */
export interface RequestContext {
  correlationId: string;
  actor?: { subject: string; username: string };
  /** The request's `Idempotency-Key` header, as sent (checked where it is used). */
  idempotencyKey?: string;
  /** Fingerprint of the GraphQL mutation field running (name and arguments), set per root field. */
  requestHash?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `ctx` as the current request context (visible to logs and command metadata). */
export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
