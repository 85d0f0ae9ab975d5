import type { EventTypeDefinition } from './registry';
import { EventRegistry } from './registry';
import { EventRegistrationError, EventSchemaViolationError, UnknownEventTypeError, UnsupportedSchemaVersionError } from './errors';
import type { StoredEvent } from './stored-event';
import { sampleRegistry } from './testing/sample-registry';

const storedV1 = (): StoredEvent => ({
  streamId: 'sample-1',
  streamVersion: 1,
  position: 42,
  type: 'SampleRegistered',
  schemaVersion: 1,
  data: { sampleId: 's-1', name: 'Caravane des droits' },
  metadata: { eventId: 'ev-1', time: '2024-05-01T08:00:00.000Z', actor: { subject: 'kc-1', username: 'amina' }, correlationId: 'c-1' },
});

const v1Schema = { type: 'object', properties: { n: { type: 'integer' } } } as const;

describe('EventRegistry', () => {
  describe('when reading an event stored at an old version', () => {
    it('upcasts SampleRegistered v1 to v2, keeping the other fields', () => {
      const event = sampleRegistry.upcast(storedV1());
      expect(event).toEqual({
        ...storedV1(),
        schemaVersion: 2,
        data: { sampleId: 's-1', title: { fr: 'Caravane des droits' }, region: 'NATIONAL' },
      });
      expect(sampleRegistry.issues('SampleRegistered', event.data)).toEqual([]);
    });

    it('does not mutate the stored event', () => {
      const stored = storedV1();
      sampleRegistry.upcast(stored);
      expect(stored).toEqual(storedV1());
    });

    it('runs the whole chain, one version at a time', () => {
      const registry = new EventRegistry('chain').register({
        type: 'Counted',
        currentVersion: 3,
        schemas: { 1: v1Schema, 2: v1Schema, 3: v1Schema },
        upcasters: { 1: (d: { n: number }) => ({ n: d.n * 10 }), 2: (d: { n: number }) => ({ n: d.n + 1 }) },
      });
      expect(registry.upcast({ type: 'Counted', schemaVersion: 1, data: { n: 4 } })).toEqual({
        type: 'Counted',
        schemaVersion: 3,
        data: { n: 41 },
      });
      expect(registry.upcast({ type: 'Counted', schemaVersion: 2, data: { n: 4 } }).data).toEqual({ n: 5 });
    });
  });

  describe('when reading an event at the current version', () => {
    it('returns it as it is', () => {
      const current = { ...storedV1(), schemaVersion: 2, data: { sampleId: 's', title: { fr: 't' }, region: 'MA-01' } };
      expect(sampleRegistry.upcast(current)).toBe(current);
    });
  });

  describe('when the event cannot be read', () => {
    it('rejects an unknown type with a typed error', () => {
      expect(() => sampleRegistry.upcast({ type: 'Nope', schemaVersion: 1, data: {} })).toThrow(UnknownEventTypeError);
      expect(() => sampleRegistry.validate('Nope', {})).toThrow('event type Nope is not registered in context sample');
    });

    it.each([3, 0, 1.5, -1])('rejects schema version %p', (version) => {
      expect(() => sampleRegistry.upcast({ type: 'SampleRegistered', schemaVersion: version, data: {} })).toThrow(
        UnsupportedSchemaVersionError,
      );
    });
  });

  describe('when validating data before an append', () => {
    it('accepts data that matches the current schema', () => {
      expect(() =>
        sampleRegistry.validate('SampleRegistered', { sampleId: 's', title: { fr: 'Titre', ar: 'عنوان' }, region: 'MA-05' }),
      ).not.toThrow();
      expect(() => sampleRegistry.validate('SampleArchived', { sampleId: 's', reason: null })).not.toThrow();
    });

    it('rejects data of an older version, listing every problem with its path', () => {
      try {
        sampleRegistry.validate('SampleRegistered', { sampleId: 's', name: 'x', region: 'MA-99' });
        throw new Error('expected a schema violation');
      } catch (e) {
        expect(e).toBeInstanceOf(EventSchemaViolationError);
        expect((e as EventSchemaViolationError).issues).toEqual([
          '$.title: required',
          '$.name: not allowed',
          expect.stringMatching(/^\$\.region: expected one of .*got "MA-99"$/),
        ]);
      }
    });

    it('checks nested types, lengths and formats', () => {
      const registry = new EventRegistry('checks').register({
        type: 'Checked',
        currentVersion: 1,
        schemas: {
          1: {
            type: 'object',
            properties: {
              on: { type: 'string', format: 'date' },
              at: { type: 'string', format: 'date-time' },
              tags: { type: 'array', maxItems: 1, items: { type: 'string', pattern: '^[a-z]+$' } },
              n: { type: 'integer', minimum: 0 },
              ratio: { type: 'number', maximum: 1 },
            },
          },
        },
      });
      expect(registry.issues('Checked', { on: '2024-02-29', at: '2024-01-01T10:00:00Z', tags: ['ok'], n: 0, ratio: 1 })).toEqual([]);
      expect(registry.issues('Checked', { on: '2023-02-29', at: '2024-01-01 10:00', tags: ['A', 'b'], n: 1.5, ratio: 2 })).toEqual([
        '$.on: not a date (YYYY-MM-DD)',
        '$.at: not an ISO 8601 date-time',
        '$.tags: more than 1 items',
        '$.tags[0]: does not match ^[a-z]+$',
        '$.n: expected integer, got number',
        '$.ratio: greater than 1',
      ]);
      expect(registry.issues('Checked', [])).toEqual(['$: expected object, got array']);
    });
  });

  describe('when registering', () => {
    const base: EventTypeDefinition = { type: 'Thing', currentVersion: 1, schemas: { 1: v1Schema } };
    const register = (definition: Partial<EventTypeDefinition>) => () => new EventRegistry('reg').register({ ...base, ...definition });

    it('refuses a version without an upcaster from the previous one', () => {
      expect(register({ currentVersion: 2, schemas: { 1: v1Schema, 2: v1Schema } })).toThrow('reg/Thing: missing upcaster from v1 to v2');
    });

    it('refuses a version without a schema', () => {
      expect(register({ currentVersion: 2, schemas: { 2: v1Schema }, upcasters: { 1: (d) => d } })).toThrow('reg/Thing: no schema for v1');
    });

    it('refuses schemas or upcasters beyond the current version', () => {
      expect(register({ schemas: { 1: v1Schema, 2: v1Schema } })).toThrow(/schema for version 2, but the current version is v1/);
      expect(register({ upcasters: { 1: (d) => d } })).toThrow(/upcaster from version 1, but the current version is v1/);
    });

    it('refuses a type registered twice, bad names and bad versions', () => {
      expect(() => new EventRegistry('reg').register(base).register(base)).toThrow(/registered twice/);
      expect(register({ type: 'thing_done' })).toThrow(EventRegistrationError);
      expect(register({ currentVersion: 0 })).toThrow(/positive integer/);
      expect(() => new EventRegistry('Bad-Context')).toThrow(EventRegistrationError);
    });

    it('refuses schemas it could not check: unknown keywords, bad patterns, non-object data', () => {
      expect(register({ schemas: { 1: { type: 'object', properties: { a: { type: 'string', oneOf: [] } as never } } } })).toThrow(
        /v1 schema\.a: unsupported keyword "oneOf"/,
      );
      expect(register({ schemas: { 1: { type: 'object', properties: { a: { type: 'string', pattern: '(' } } } } })).toThrow(
        /invalid pattern/,
      );
      expect(register({ schemas: { 1: { type: 'string' } } })).toThrow(/event data must be an object/);
    });

    it('freezes the registered schemas', () => {
      const schema = sampleRegistry.schema('SampleRegistered', 1);
      expect(Object.isFrozen(schema)).toBe(true);
      expect(Object.isFrozen(schema.properties)).toBe(true);
    });

    it('lists types and versions', () => {
      expect(sampleRegistry.types()).toEqual(['SampleRegistered', 'SampleArchived']);
      expect(sampleRegistry.currentVersion('SampleRegistered')).toBe(2);
      expect(sampleRegistry.has('SampleArchived')).toBe(true);
    });
  });
});
