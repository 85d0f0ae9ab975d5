import { AssertionError, deepStrictEqual } from 'node:assert';
import type { Command, Decider, DomainEvent } from './decider';
import { fold } from './decider';

/**
 * Given / when / then for deciders (docs/conventions.md habit 6), after emmett's `DeciderSpecification`:
 *
 * ```ts
 * const spec = DeciderSpecification.for(campaignDecider);
 * spec.given([created]).when(launch).then([launched]);
 * spec.given([cancelled]).when(launch).thenThrows(IllegalStateError, { rule: 'campaign.closed' });
 * spec.given([launched]).when(launch).thenNothingHappened();
 * ```
 *
 * Framework-free on purpose: failures are `node:assert` `AssertionError`s with a diff, which Jest
 * (or any runner) reports as they are. The decider runs only when a `then…` is called.
 */
export class DeciderSpecification<C extends Command, E extends DomainEvent, S> {
  private constructor(private readonly decider: Decider<C, E, S>) {}

  /** Starts a specification for one decider; reuse it across tests. */
  static for<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>): DeciderSpecification<C, E, S> {
    return new DeciderSpecification(decider);
  }

  /** The stream's history before the command (folded with `evolve` from `initialState()`). */
  given(events: readonly E[] = []): DeciderGiven<C, E, S> {
    return new DeciderGiven(this.decider, events);
  }

  /** Shorthand for `given([]).when(command)`: a command on a new stream. */
  when(command: C): DeciderThen<C, E, S> {
    return this.given([]).when(command);
  }
}

/** Second step of a specification: the history is set, the command comes next. */
export class DeciderGiven<C extends Command, E extends DomainEvent, S> {
  /** @internal use `DeciderSpecification.for(decider).given(events)` */
  constructor(
    private readonly decider: Decider<C, E, S>,
    private readonly history: readonly E[],
  ) {}

  when(command: C): DeciderThen<C, E, S> {
    return new DeciderThen(this.decider, this.history, command);
  }
}

/** Expected details of a refusal: each given field must equal the error's own field. */
export interface ExpectedRefusal {
  /** Stable rule id of an `IllegalStateError`. */
  readonly rule?: string;
  /** Domain error code, e.g. `'DOMAIN_RULE_VIOLATION'`. */
  readonly code?: string;
  /** Exact message, or a pattern it must match. */
  readonly message?: string | RegExp;
}

/** An error class, including abstract ones such as `DomainError`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor parameters vary by error class
export type ErrorClass<T extends Error = Error> = abstract new (...args: any[]) => T;

/** An error class (matched with `instanceof`) or a predicate on the thrown value. */
export type ErrorMatcher<T extends Error = Error> = ErrorClass<T> | ((error: unknown) => boolean);

type Outcome<E> = { readonly kind: 'events'; readonly events: E[] } | { readonly kind: 'threw'; readonly error: unknown };

/** Last step of a specification: runs `decide` and asserts on its outcome. */
export class DeciderThen<C extends Command, E extends DomainEvent, S> {
  /** @internal use `DeciderSpecification.for(decider).given(events).when(command)` */
  constructor(
    private readonly decider: Decider<C, E, S>,
    private readonly history: readonly E[],
    private readonly command: C,
  ) {}

  /** Asserts that `decide` returned exactly these events, in this order. Returns them. */
  then(expected: readonly E[]): E[] {
    const outcome = this.run();
    if (outcome.kind === 'threw') {
      throw failure(`expected ${this.commandName()} to produce ${expected.length} event(s), but it threw ${describeError(outcome.error)}`, {
        cause: outcome.error,
        expected,
      });
    }
    assertEqual(outcome.events, expected, `${this.commandName()} produced other events than expected`);
    return outcome.events;
  }

  /** Asserts that `decide` accepted the command as a no-op: no error, no events. */
  thenNothingHappened(): void {
    const outcome = this.run();
    if (outcome.kind === 'threw') {
      throw failure(`expected ${this.commandName()} to be a no-op, but it threw ${describeError(outcome.error)}`, { cause: outcome.error });
    }
    assertEqual(outcome.events, [], `expected ${this.commandName()} to be a no-op, but it produced events`);
  }

  /**
   * Asserts that `decide` refused the command with an error matching `matcher` (a class, checked with
   * `instanceof`, or a predicate) and, when given, the `expected` fields (e.g. `{ rule }`).
   * Returns the error so that a test can look further into it.
   */
  thenThrows<T extends Error = Error>(matcher: ErrorMatcher<T>, expected: ExpectedRefusal = {}): T {
    const outcome = this.run();
    const wanted = isErrorClass(matcher) ? matcher.name : 'an error matching the predicate';
    if (outcome.kind === 'events') {
      throw failure(`expected ${this.commandName()} to be refused with ${wanted}, but it produced ${outcome.events.length} event(s)`, {
        actual: outcome.events,
      });
    }
    const error = outcome.error;
    const matches = isErrorClass(matcher) ? error instanceof matcher : matcher(error);
    if (!matches) {
      throw failure(`expected ${this.commandName()} to be refused with ${wanted}, but it threw ${describeError(error)}`, { cause: error });
    }
    const fields = error as Record<string, unknown>;
    for (const key of ['rule', 'code'] as const) {
      if (expected[key] !== undefined && fields?.[key] !== expected[key]) {
        throw failure(`expected the refusal's ${key} to be ${JSON.stringify(expected[key])}, but it is ${JSON.stringify(fields?.[key])}`, {
          cause: error,
          actual: fields?.[key],
          expected: expected[key],
        });
      }
    }
    if (expected.message !== undefined) {
      const message = error instanceof Error ? error.message : String(error);
      const ok = typeof expected.message === 'string' ? message === expected.message : expected.message.test(message);
      if (!ok) {
        throw failure(
          `expected the refusal's message to ${typeof expected.message === 'string' ? 'be' : 'match'} ${String(expected.message)}`,
          {
            cause: error,
            actual: message,
            expected: String(expected.message),
          },
        );
      }
    }
    return error as T;
  }

  private run(): Outcome<E> {
    // Folding is outside the try: a throwing `evolve` is a broken history, not a refusal.
    const state = fold(this.decider, this.history);
    try {
      return { kind: 'events', events: this.decider.decide(this.command, state) };
    } catch (error) {
      return { kind: 'threw', error };
    }
  }

  private commandName(): string {
    return `command ${this.command.type}`;
  }
}

function isErrorClass<T extends Error>(matcher: ErrorMatcher<T>): matcher is ErrorClass<T> {
  // Arrow-function predicates have no prototype; error classes have `Error.prototype` in their chain.
  return (matcher as unknown) === Error || (typeof matcher === 'function' && matcher.prototype instanceof Error);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a non-error value ${JSON.stringify(error)}`;
  const rule = (error as { rule?: unknown }).rule;
  return `${error.name}${typeof rule === 'string' ? ` (rule ${rule})` : ''}: ${error.message}`;
}

/** deepStrictEqual, keeping Node's diff but saying which expectation failed. */
function assertEqual(actual: unknown, expected: unknown, what: string): void {
  try {
    deepStrictEqual(actual, expected);
  } catch (e) {
    if (!(e instanceof AssertionError)) throw e;
    throw failure(`${what}\n${e.message}`, { actual, expected });
  }
}

function failure(message: string, details: { actual?: unknown; expected?: unknown; cause?: unknown }): AssertionError {
  const error = new AssertionError({
    message: `DeciderSpecification: ${message}`,
    actual: details.actual,
    expected: details.expected,
    operator: 'DeciderSpecification',
  });
  if (details.cause !== undefined) Object.defineProperty(error, 'cause', { value: details.cause, configurable: true, writable: true });
  return error;
}
