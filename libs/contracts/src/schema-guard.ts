import { createHash } from 'node:crypto';
import type { JsonSchema } from './json-schema';
import type { EventRegistry } from './registry';

/**
 * The schema-change guard: a committed snapshot of one fingerprint per (context, type, version)
 * schema. A published version's schema is a promise to every stored event and every consumer, so
 * changing it in place is refused; a change needs a new version and an upcaster.
 *
 * Update the snapshot after deliberately adding a version or an event type:
 * `HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest libs/contracts/src/schema-guard` (adds new entries only;
 * `=force` also rewrites changed and removed ones, for the rare case where no event was ever stored).
 */

/** `{ "<context>/<Type>@v<n>": "<sha256 hex>" }`, sorted by key. */
export type SchemaFingerprints = Readonly<Record<string, string>>;

/** The committed snapshot file's shape. */
export interface SchemaSnapshot {
  readonly $comment?: string;
  readonly fingerprints: SchemaFingerprints;
}

/** Why the guard fails. */
export type SchemaGuardViolationKind =
  'changed-without-version-bump' | 'not-in-snapshot' | 'removed' | 'missing-upcaster' | 'duplicate-context';

export interface SchemaGuardViolation {
  readonly kind: SchemaGuardViolationKind;
  readonly key: string;
  readonly message: string;
}

/** Snapshot key of one schema version. */
export function schemaKey(context: string, type: string, version: number): string {
  return `${context}/${type}@v${version}`;
}

/**
 * Canonical JSON of a schema: keys sorted, `required` sorted (a set), `description` dropped (an
 * annotation, free to reword). Property names under `properties` are kept whatever they are.
 */
export function canonicalSchema(schema: JsonSchema): string {
  return JSON.stringify(canonicalNode(schema));
}

function canonicalNode(schema: JsonSchema): unknown {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema).sort()) {
    const value = (schema as Record<string, unknown>)[key];
    if (key === 'description' || value === undefined) continue;
    if (key === 'properties') {
      const properties = value as Record<string, JsonSchema>;
      out[key] = Object.fromEntries(
        Object.keys(properties)
          .sort()
          .map((name) => [name, canonicalNode(properties[name])]),
      );
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = canonicalNode(value as JsonSchema);
    } else if (key === 'required') {
      out[key] = [...(value as string[])].sort();
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** sha256 (hex) of the canonical JSON of a schema. */
export function fingerprintSchema(schema: JsonSchema): string {
  return createHash('sha256').update(canonicalSchema(schema)).digest('hex');
}

/** Fingerprints of every (context, type, version) in the registries, sorted by key. */
export function schemaFingerprints(registries: readonly EventRegistry[]): SchemaFingerprints {
  const entries = registries.flatMap((r) =>
    r.registeredSchemas().map((s) => [schemaKey(s.context, s.type, s.version), fingerprintSchema(s.schema)] as const),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Compares the registries with the committed snapshot. Every violation says what to do about it;
 * an empty list means the schemas are exactly as committed.
 */
export function checkSchemaSnapshot(snapshot: SchemaFingerprints, registries: readonly EventRegistry[]): SchemaGuardViolation[] {
  const violations: SchemaGuardViolation[] = [];
  const seen = new Set<string>();
  for (const registry of registries) {
    if (seen.has(registry.context)) {
      violations.push({
        kind: 'duplicate-context',
        key: registry.context,
        message: `context ${registry.context} has two registries: merge them, or event types could collide`,
      });
    }
    seen.add(registry.context);
    for (const s of registry.registeredSchemas()) {
      if (!s.upcastableFromPrevious) {
        const key = schemaKey(s.context, s.type, s.version);
        violations.push({
          kind: 'missing-upcaster',
          key,
          message: `${key} has no upcaster from v${s.version - 1}: stored v${s.version - 1} events could not be read`,
        });
      }
    }
  }
  const latest = new Map<string, number>(); // "<context>/<Type>" -> highest registered version
  for (const s of registries.flatMap((r) => r.registeredSchemas())) {
    const name = `${s.context}/${s.type}`;
    latest.set(name, Math.max(latest.get(name) ?? 0, s.version));
  }
  const current = schemaFingerprints(registries);
  for (const [key, fingerprint] of Object.entries(current)) {
    const committed = snapshot[key];
    if (committed === undefined) {
      violations.push({
        kind: 'not-in-snapshot',
        key,
        message: `${key} is new: if it is deliberate, record it with HRP_UPDATE_SCHEMA_SNAPSHOT=1 and commit the snapshot`,
      });
    } else if (committed !== fingerprint) {
      const at = key.lastIndexOf('@v');
      const version = Number(key.slice(at + 2));
      const next = (latest.get(key.slice(0, at)) ?? version) + 1;
      violations.push({
        kind: 'changed-without-version-bump',
        key,
        message:
          `${key} changed without a version bump (snapshot ${committed.slice(0, 12)}…, now ${fingerprint.slice(0, 12)}…): ` +
          `restore v${version}'s schema, and express the change as v${next} with an upcaster from v${next - 1}`,
      });
    }
  }
  for (const key of Object.keys(snapshot)) {
    if (current[key] === undefined) {
      violations.push({
        kind: 'removed',
        key,
        message: `${key} is in the snapshot but no longer registered: events are forever, keep its schema (rename through upcasters)`,
      });
    }
  }
  return violations;
}

/**
 * The snapshot to write in update mode: new keys are added; with `force`, changed and removed
 * keys are rewritten too. Without `force`, those stay as committed (and keep failing the guard).
 */
export function updateSchemaSnapshot(
  snapshot: SchemaFingerprints,
  registries: readonly EventRegistry[],
  options: { force?: boolean } = {},
): SchemaFingerprints {
  const current = schemaFingerprints(registries);
  if (options.force) return current;
  const merged: Record<string, string> = { ...current, ...snapshot };
  return Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((k) => [k, merged[k]]),
  );
}
