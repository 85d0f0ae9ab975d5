/**
 * Framework-free domain errors with stable codes (STYLE.md habit 5). One GraphQL filter maps
 * `code` to `extensions.code`; the domain never throws an HTTP exception.
 */
export type DomainErrorCode = 'BAD_USER_INPUT' | 'DOMAIN_RULE_VIOLATION' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN';

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

/** The stream moved on: the expected version is not the actual one. */
export class ConcurrencyError extends DomainError {
  readonly code = 'CONFLICT' as const;
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, not the expected ${expectedVersion}`);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
