/**
 * Errors of the contracts library. They signal programming or integration faults (an unknown
 * event type, a malformed envelope, data that breaks its own schema), not user mistakes, so
 * they are not DomainErrors and never map to BAD_USER_INPUT.
 */
export abstract class ContractError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An event type that no registry knows: a consumer is older than the producer, or a typo. */
export class UnknownEventTypeError extends ContractError {
  readonly code = 'UNKNOWN_EVENT_TYPE' as const;
  constructor(
    readonly context: string,
    readonly type: string,
  ) {
    super(`event type ${type} is not registered in context ${context}`);
  }
}

/** A schema version this code cannot read (newer than the current one, or not a positive integer). */
export class UnsupportedSchemaVersionError extends ContractError {
  readonly code = 'UNSUPPORTED_SCHEMA_VERSION' as const;
  constructor(
    readonly type: string,
    readonly schemaVersion: unknown,
    readonly currentVersion: number,
  ) {
    super(`${type} v${String(schemaVersion)} cannot be read: the current version is v${currentVersion}`);
  }
}

/** A registration that would leave a gap (missing schema or upcaster), a duplicate, or a bad schema. */
export class EventRegistrationError extends ContractError {
  readonly code = 'EVENT_REGISTRATION' as const;
}

/** Event data that does not match its schema; `issues` lists every problem with a JSON path. */
export class EventSchemaViolationError extends ContractError {
  readonly code = 'EVENT_SCHEMA_VIOLATION' as const;
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
    readonly issues: readonly string[],
  ) {
    super(`${type} v${schemaVersion} data does not match its schema:\n  ${issues.join('\n  ')}`);
  }
}

/** A CloudEvents envelope that is not a valid HRP event. */
export class EnvelopeError extends ContractError {
  readonly code = 'INVALID_ENVELOPE' as const;
}
