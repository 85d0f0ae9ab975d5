import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as contracts from './index';
import type { JsonSchema } from './json-schema';
import type { EventRegistry, RegisteredSchema } from './registry';
import { EventRegistry as Registry } from './registry';
import { allRegistries } from './registries';
import type { SchemaSnapshot } from './schema-guard';
import { canonicalSchema, checkSchemaSnapshot, fingerprintSchema, schemaFingerprints, updateSchemaSnapshot } from './schema-guard';
import { sampleRegistry } from './testing/sample-registry';

const SNAPSHOT_FILE = join(__dirname, 'registry.snapshot.json');
const COMMENT =
  'Fingerprints of every event schema version (sha256 of canonical JSON). Never edit by hand: ' +
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest libs/contracts/src/schema-guard and commit this file.';

/** Every registry the platform has, plus the sample one used until services register events. */
const guarded = (): readonly EventRegistry[] => [...allRegistries(), sampleRegistry];

/** The snapshot as committed (empty when the file is missing). */
const committedSnapshot = (): SchemaSnapshot =>
  existsSync(SNAPSHOT_FILE) ? (JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as SchemaSnapshot) : { fingerprints: {} };

describe('Schema-change guard', () => {
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      const mode = process.env.HRP_UPDATE_SCHEMA_SNAPSHOT;
      let fingerprints = committedSnapshot().fingerprints;
      if (mode === '1' || mode === 'force') {
        fingerprints = updateSchemaSnapshot(fingerprints, guarded(), { force: mode === 'force' });
        writeFileSync(SNAPSHOT_FILE, `${JSON.stringify({ $comment: COMMENT, fingerprints }, null, 2)}\n`);
      }
      const violations = checkSchemaSnapshot(fingerprints, guarded());
      if (violations.length > 0) {
        throw new Error(`Event schemas differ from ${SNAPSHOT_FILE}:\n- ${violations.map((v) => v.message).join('\n- ')}`);
      }
    });

    it('guards every registry the contracts package exports (allRegistries)', () => {
      const exported = Object.values(contracts as Record<string, unknown>).filter((v): v is EventRegistry => v instanceof Registry);
      expect(exported.filter((r) => !allRegistries().includes(r)).map((r) => r.context)).toEqual([]);
    });

    it('holds exactly the schemas of the guarded registries: none missing, none of a registry no longer guarded', () => {
      const committed = Object.keys(committedSnapshot().fingerprints).sort();
      expect(committed).toEqual(Object.keys(schemaFingerprints(guarded())).sort());
      expect(committed).toEqual(
        expect.arrayContaining(['sample/SampleArchived@v1', 'sample/SampleRegistered@v1', 'sample/SampleRegistered@v2']),
      );
    });
  });

  // ---------- the guard's own behaviour, on throwaway registries ----------

  const nameV1: JsonSchema = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } };
  const titleV2: JsonSchema = {
    type: 'object',
    required: ['id', 'title'],
    properties: { id: { type: 'string' }, title: { type: 'string' } },
  };
  const oneVersion = (schema: JsonSchema) => new Registry('demo').register({ type: 'Thing', currentVersion: 1, schemas: { 1: schema } });
  const twoVersions = () =>
    new Registry('demo').register({
      type: 'Thing',
      currentVersion: 2,
      schemas: { 1: nameV1, 2: titleV2 },
      upcasters: { 1: (d: { id: string; name: string }) => ({ id: d.id, title: d.name }) },
    });

  describe('when a schema changed without a version bump', () => {
    it('fails, naming the event and telling how to fix it', () => {
      const snapshot = schemaFingerprints([oneVersion(nameV1)]);
      const changed = oneVersion({ ...nameV1, properties: { ...nameV1.properties, name: { type: 'string', maxLength: 10 } } });
      const violations = checkSchemaSnapshot(snapshot, [changed]);
      expect(violations).toEqual([expect.objectContaining({ kind: 'changed-without-version-bump', key: 'demo/Thing@v1' })]);
      expect(violations[0].message).toMatch(
        /changed without a version bump.*restore v1's schema, and express the change as v2 with an upcaster from v1/,
      );
    });

    it('is not fooled by update mode: the changed fingerprint stays as committed unless forced', () => {
      const snapshot = schemaFingerprints([oneVersion(nameV1)]);
      const changed = oneVersion(titleV2);
      expect(checkSchemaSnapshot(updateSchemaSnapshot(snapshot, [changed]), [changed])).toHaveLength(1);
      expect(checkSchemaSnapshot(updateSchemaSnapshot(snapshot, [changed], { force: true }), [changed])).toEqual([]);
    });
  });

  describe('when a new version is added with its upcaster', () => {
    it('fails until the snapshot records it, then passes', () => {
      const snapshot = schemaFingerprints([oneVersion(nameV1)]);
      expect(checkSchemaSnapshot(snapshot, [twoVersions()])).toEqual([
        expect.objectContaining({ kind: 'not-in-snapshot', key: 'demo/Thing@v2' }),
      ]);
      const updated = updateSchemaSnapshot(snapshot, [twoVersions()]);
      expect(checkSchemaSnapshot(updated, [twoVersions()])).toEqual([]);
      expect(updated['demo/Thing@v1']).toBe(snapshot['demo/Thing@v1']);
    });
  });

  describe('when a new version has no upcaster', () => {
    it('cannot even be registered', () => {
      expect(() => new Registry('demo').register({ type: 'Thing', currentVersion: 2, schemas: { 1: nameV1, 2: titleV2 } })).toThrow(
        'demo/Thing: missing upcaster from v1 to v2',
      );
    });

    it('fails the guard for a registry built some other way', () => {
      const schemas: RegisteredSchema[] = [
        { context: 'odd', type: 'Thing', version: 1, schema: nameV1, upcastableFromPrevious: true },
        { context: 'odd', type: 'Thing', version: 2, schema: titleV2, upcastableFromPrevious: false },
      ];
      const odd = { context: 'odd', registeredSchemas: () => schemas } as unknown as EventRegistry;
      const violations = checkSchemaSnapshot(schemaFingerprints([odd]), [odd]);
      expect(violations).toEqual([expect.objectContaining({ kind: 'missing-upcaster', key: 'odd/Thing@v2' })]);
    });
  });

  describe('when an event type or version disappears', () => {
    it('fails: events are forever', () => {
      const snapshot = schemaFingerprints([twoVersions()]);
      expect(checkSchemaSnapshot(snapshot, [new Registry('demo')]).map((v) => v.kind)).toEqual(['removed', 'removed']);
    });
  });

  describe('when two registries claim one context', () => {
    it('fails', () => {
      const violations = checkSchemaSnapshot({}, [new Registry('demo'), new Registry('demo')]);
      expect(violations).toEqual([expect.objectContaining({ kind: 'duplicate-context' })]);
    });
  });

  describe('fingerprints', () => {
    it('ignore key order, the order of required, and descriptions', () => {
      const a: JsonSchema = { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' }, b: { type: 'integer' } } };
      const b: JsonSchema = {
        description: 'reworded freely',
        properties: { b: { type: 'integer', description: 'a count' }, a: { type: 'string' } },
        required: ['b', 'a'],
        type: 'object',
      };
      expect(fingerprintSchema(a)).toBe(fingerprintSchema(b));
    });

    it('keep a property that happens to be named "description"', () => {
      const withProp: JsonSchema = { type: 'object', properties: { description: { type: 'string' } } };
      expect(canonicalSchema(withProp)).toContain('"description"');
      expect(fingerprintSchema(withProp)).not.toBe(fingerprintSchema({ type: 'object', properties: {} }));
    });

    it('change with any constraint, and are sha256 hex', () => {
      const f = fingerprintSchema(nameV1);
      expect(f).toMatch(/^[0-9a-f]{64}$/);
      expect(fingerprintSchema({ ...nameV1, additionalProperties: false })).not.toBe(f);
      expect(fingerprintSchema({ ...nameV1, required: ['id'] })).not.toBe(f);
    });
  });
});
