import { AssertionError } from 'node:assert';
import type { Command, CommandMetadata, Decider, DomainEvent } from './decider';
import { assertNever } from './decider';
import { DeciderSpecification } from './decider-specification';
import { IllegalStateError, ValidationError } from './errors';

// ---------- a tiny light switch, the sample decider ----------

type SwitchedOn = DomainEvent<'SwitchedOn', { by: string; at: string }>;
type SwitchedOff = DomainEvent<'SwitchedOff', { by: string; at: string }>;
type LightEvent = SwitchedOn | SwitchedOff;

type SwitchOn = Command<'SwitchOn', Record<string, never>>;
type SwitchOff = Command<'SwitchOff', Record<string, never>>;
type Dim = Command<'Dim', { percent: number }>;
type LightCommand = SwitchOn | SwitchOff | Dim;

interface LightState {
  readonly on: boolean;
  readonly broken: boolean;
}

const light: Decider<LightCommand, LightEvent, LightState> = {
  initialState: () => ({ on: false, broken: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'SwitchedOn':
        return { ...state, on: true };
      case 'SwitchedOff':
        return { ...state, on: false };
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    const stamp = { by: command.metadata.actor.username, at: command.metadata.now };
    switch (command.type) {
      case 'SwitchOn':
        return state.on ? [] : [{ type: 'SwitchedOn', data: stamp }];
      case 'SwitchOff':
        return state.on ? [{ type: 'SwitchedOff', data: stamp }] : [];
      case 'Dim':
        if (command.data.percent < 0 || command.data.percent > 100) throw new ValidationError('percent out of range', 'percent');
        if (!state.on) throw new IllegalStateError('light.dim-when-off', 'cannot dim a light that is off');
        return [];
      default:
        return assertNever(command);
    }
  },
};

// ---------- fixtures ----------

const metadata: CommandMetadata = {
  now: '2025-03-01T10:00:00.000Z',
  actor: { subject: 'kc-sub-1', username: 'amina' },
  correlationId: 'corr-1',
};
const switchOn = (): SwitchOn => ({ type: 'SwitchOn', data: {}, metadata });
const switchOff = (): SwitchOff => ({ type: 'SwitchOff', data: {}, metadata });
const dim = (percent: number): Dim => ({ type: 'Dim', data: { percent }, metadata });
const switchedOn = (): SwitchedOn => ({ type: 'SwitchedOn', data: { by: 'amina', at: metadata.now } });
const switchedOff = (): SwitchedOff => ({ type: 'SwitchedOff', data: { by: 'amina', at: metadata.now } });

const spec = DeciderSpecification.for(light);

/** Runs `fn`, expecting an AssertionError, and returns it. */
function assertionFrom(fn: () => unknown): AssertionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AssertionError) return e;
    throw new Error(`expected an AssertionError, got ${String(e)}`);
  }
  throw new Error('expected an AssertionError, nothing was thrown');
}

describe('DeciderSpecification', () => {
  describe('when the decider produces the expected events', () => {
    it('passes and returns the events', () => {
      expect(spec.given([]).when(switchOn()).then([switchedOn()])).toEqual([switchedOn()]);
    });

    it('folds the history before deciding', () => {
      spec.given([switchedOn()]).when(switchOff()).then([switchedOff()]);
      spec.given([switchedOn(), switchedOff()]).when(switchOn()).then([switchedOn()]);
    });

    it('accepts a command on a new stream without given()', () => {
      spec.when(switchOn()).then([switchedOn()]);
    });
  });

  describe('when the decider produces other events', () => {
    it('fails with a diff of the events', () => {
      const error = assertionFrom(() => spec.given([]).when(switchOn()).then([switchedOff()]));
      expect(error.message).toContain('command SwitchOn produced other events than expected');
      expect(error.message).toContain("'SwitchedOn'");
      expect(error.message).toContain("'SwitchedOff'");
    });

    it('fails when the data differs only deeply', () => {
      const other: SwitchedOn = { type: 'SwitchedOn', data: { by: 'amina', at: '2025-03-01T10:00:01.000Z' } };
      const error = assertionFrom(() => spec.when(switchOn()).then([other]));
      expect(error.message).toContain('10:00:01');
    });

    it('fails when events were expected but the command was a no-op', () => {
      assertionFrom(() => spec.given([switchedOn()]).when(switchOn()).then([switchedOn()]));
    });
  });

  describe('when the decider refuses', () => {
    it('passes thenThrows with the error class and returns the error', () => {
      const error = spec.given([]).when(dim(50)).thenThrows(IllegalStateError);
      expect(error.rule).toBe('light.dim-when-off');
    });

    it('passes thenThrows with the expected rule, code and message', () => {
      spec
        .given([])
        .when(dim(50))
        .thenThrows(IllegalStateError, {
          rule: 'light.dim-when-off',
          code: 'DOMAIN_RULE_VIOLATION',
          message: /cannot dim/,
        });
    });

    it('passes thenThrows with a predicate', () => {
      spec.when(dim(150)).thenThrows((e) => e instanceof ValidationError && e.field === 'percent');
    });

    it('fails thenThrows when the rule differs', () => {
      const error = assertionFrom(() => spec.when(dim(50)).thenThrows(IllegalStateError, { rule: 'light.other' }));
      expect(error.message).toContain('"light.other"');
      expect(error.message).toContain('"light.dim-when-off"');
    });

    it('fails thenThrows when the error is of another class', () => {
      const error = assertionFrom(() => spec.when(dim(150)).thenThrows(IllegalStateError));
      expect(error.message).toContain('expected command Dim to be refused with IllegalStateError, but it threw ValidationError');
    });

    it('fails thenThrows when the predicate rejects the error', () => {
      assertionFrom(() => spec.when(dim(150)).thenThrows(() => false));
    });

    it('fails then() and keeps the refusal as the cause', () => {
      const error = assertionFrom(() => spec.when(dim(50)).then([]));
      expect(error.message).toContain('but it threw IllegalStateError (rule light.dim-when-off)');
      expect((error as { cause?: unknown }).cause).toBeInstanceOf(IllegalStateError);
    });

    it('fails thenNothingHappened', () => {
      const error = assertionFrom(() => spec.when(dim(50)).thenNothingHappened());
      expect(error.message).toContain('to be a no-op, but it threw IllegalStateError');
    });
  });

  describe('when the decider accepts a command as a no-op', () => {
    it('passes thenNothingHappened', () => {
      spec.given([switchedOn()]).when(switchOn()).thenNothingHappened();
      spec.given([]).when(switchOff()).thenNothingHappened();
    });

    it('fails thenThrows, saying that nothing was refused', () => {
      const error = assertionFrom(() => spec.given([switchedOn()]).when(switchOn()).thenThrows(IllegalStateError));
      expect(error.message).toContain('but it produced 0 event(s)');
    });
  });

  describe('when the decider produces events but none were expected', () => {
    it('fails thenNothingHappened with the events in the diff', () => {
      const error = assertionFrom(() => spec.when(switchOn()).thenNothingHappened());
      expect(error.message).toContain('to be a no-op, but it produced events');
      expect(error.message).toContain('SwitchedOn');
    });
  });

  describe('when the history cannot be folded', () => {
    it('lets the evolve error through instead of treating it as a refusal', () => {
      const broken = { type: 'Exploded', data: {} } as unknown as LightEvent;
      expect(() => spec.given([broken]).when(switchOn()).thenThrows(Error)).toThrow('unhandled case');
    });
  });
});
