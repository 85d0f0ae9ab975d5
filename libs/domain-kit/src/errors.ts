/**
 * Framework-free domain errors with stable codes (docs/conventions.md habit 5). One GraphQL filter maps
 * `code` to `extensions.code`; the domain never throws an HTTP exception.
 */
export type DomainErrorCode =
  'BAD_USER_INPUT' | 'DOMAIN_RULE_VIOLATION' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'IDEMPOTENCY_KEY_REUSED';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that can never be valid (wrong shape, out of range), whatever the state. */
export class ValidationError extends DomainError {
  readonly code = 'BAD_USER_INPUT' as const;
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A business rule refuses the command in the current state; `rule` is a stable id. */
export class IllegalStateError extends DomainError {
  readonly code = 'DOMAIN_RULE_VIOLATION' as const;
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND' as const;
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

/**
 * The stream moved on: the expected version is not the actual one. `retryable` is true when the
 * caller asked for no version and lost races until the handler's time bound: sending the same
 * command again may succeed; with an expected version it would fail again.
 */
export class ConcurrencyError extends DomainError {
  readonly code = 'CONFLICT' as const;
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
    readonly retryable = false,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, not the expected ${expectedVersion}`);
  }
}

/**
 * A request with the same idempotency key as an earlier one is still running (and did not finish
 * within the wait): retry later with the same key to get its outcome.
 */
export class IdempotencyKeyInFlightError extends DomainError {
  readonly code = 'CONFLICT' as const;
  readonly retryable = true;
  readonly reason = 'IDEMPOTENCY_KEY_IN_FLIGHT';
  constructor() {
    super('a request with this idempotency key is still in flight: retry later with the same key');
  }
}

/** An idempotency key already used by the same caller for another operation or other variables. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED' as const;
  constructor() {
    super('this idempotency key was already used for a different request: use a new key for a new request');
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
