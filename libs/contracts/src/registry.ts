import { EventRegistrationError, EventSchemaViolationError, UnknownEventTypeError, UnsupportedSchemaVersionError } from './errors';
import type { JsonSchema } from './json-schema';
import { schemaIssues } from './json-schema';

/**
 * Turns data of version n into data of version n + 1. Must be pure and total: events are
 * forever, so an upcaster may not fail on any data that was valid at version n.
 * (`never` parameter: any upcaster, whatever its declared input type, fits.)
 */
export type Upcaster = (data: never) => unknown;

/** What a service declares for one event type. */
export interface EventTypeDefinition {
  /** PascalCase, past tense (`CampaignLaunched`). Never renamed: rename through a new type and upcasting. */
  readonly type: string;
  /** The version written today; every version from 1 up to it has a schema. */
  readonly currentVersion: number;
  /** The schema of every version, keyed by version number (1, 2, …). Old ones are kept forever. */
  readonly schemas: Readonly<Record<number, JsonSchema>>;
  /** `upcasters[n]` turns v n into v n + 1, for every n below `currentVersion`. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
  readonly description?: string;
}

/** An event type at its first version. */
export function eventTypeV1(type: string, schema: JsonSchema, description: string): EventTypeDefinition {
  return { type, currentVersion: 1, schemas: { 1: schema }, description };
}

/** The fields of an event that upcasting reads and rewrites; other fields are carried over. */
export interface VersionedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** One (type, version) schema as the schema-change guard sees it. */
export interface RegisteredSchema {
  readonly context: string;
  readonly type: string;
  readonly version: number;
  readonly schema: JsonSchema;
  /** Whether an upcaster from the previous version exists (always true for v1). */
  readonly upcastableFromPrevious: boolean;
}

const CONTEXT_NAME = /^[a-z][a-z0-9]*$/;
const EVENT_TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'description',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
]);

interface Entry {
  readonly currentVersion: number;
  readonly schemas: ReadonlyMap<number, JsonSchema>;
  readonly upcasters: ReadonlyMap<number, Upcaster>;
}

/**
 * The event types of one bounded context, with the schema of every version and the upcasters
 * between them. Read path: `upcast` (old stored versions become the current one). Write path:
 * `validate` (what a decider produced matches the current schema before it is appended).
 *
 * Registration fails fast on gaps, so a missing upcaster is found when the service starts (and by
 * the schema guard test), not when an old event is first replayed.
 */
export class EventRegistry {
  private readonly entries = new Map<string, Entry>();

  /** @param context the bounded context, e.g. `campaigns` (lowercase letters and digits). */
  constructor(readonly context: string) {
    if (!CONTEXT_NAME.test(context))
      throw new EventRegistrationError(`context name ${JSON.stringify(context)} must be lowercase letters and digits`);
  }

  /** Registers one event type; returns the registry for chaining. */
  register(definition: EventTypeDefinition): this {
    const { type, currentVersion } = definition;
    const where = `${this.context}/${String(type)}`;
    if (typeof type !== 'string' || !EVENT_TYPE_NAME.test(type))
      throw new EventRegistrationError(`${where}: event type names are PascalCase letters and digits`);
    if (this.entries.has(type)) throw new EventRegistrationError(`${where} is registered twice`);
    if (!Number.isSafeInteger(currentVersion) || currentVersion < 1) {
      throw new EventRegistrationError(`${where}: currentVersion must be a positive integer, got ${String(currentVersion)}`);
    }
    const schemas = new Map<number, JsonSchema>();
    for (let v = 1; v <= currentVersion; v++) {
      const schema = definition.schemas[v];
      if (schema === undefined)
        throw new EventRegistrationError(`${where}: no schema for v${v} (every version up to v${currentVersion} needs one)`);
      checkSchema(schema, `${where} v${v} schema`);
      if (schema.type !== 'object')
        throw new EventRegistrationError(`${where} v${v} schema: event data must be an object (type: 'object')`);
      schemas.set(v, deepFreeze(schema));
    }
    const upcasters = new Map<number, Upcaster>();
    for (let v = 1; v < currentVersion; v++) {
      const upcaster = definition.upcasters?.[v];
      if (typeof upcaster !== 'function') throw new EventRegistrationError(`${where}: missing upcaster from v${v} to v${v + 1}`);
      upcasters.set(v, upcaster);
    }
    for (const key of Object.keys(definition.schemas)) {
      if (!schemas.has(Number(key)))
        throw new EventRegistrationError(`${where}: schema for version ${key}, but the current version is v${currentVersion}`);
    }
    for (const key of Object.keys(definition.upcasters ?? {})) {
      if (!upcasters.has(Number(key)))
        throw new EventRegistrationError(`${where}: upcaster from version ${key}, but the current version is v${currentVersion}`);
    }
    this.entries.set(type, { currentVersion, schemas, upcasters });
    return this;
  }

  /** Whether `type` is registered. */
  has(type: string): boolean {
    return this.entries.has(type);
  }

  /** Registered event types, in registration order. */
  types(): string[] {
    return [...this.entries.keys()];
  }

  /** The version written today for `type`. */
  currentVersion(type: string): number {
    return this.entry(type).currentVersion;
  }

  /** The schema of `type` at `version` (default: the current one). */
  schema(type: string, version?: number): JsonSchema {
    const entry = this.entry(type);
    const v = version ?? entry.currentVersion;
    const schema = entry.schemas.get(v);
    if (schema === undefined) throw new UnsupportedSchemaVersionError(type, v, entry.currentVersion);
    return schema;
  }

  /**
   * Brings an event to the current version of its type by running the upcasters in order.
   * Returns the same object when it is already current, otherwise a copy with `schemaVersion`
   * and `data` replaced (other fields, such as metadata, are kept). The input is never mutated.
   * @throws UnknownEventTypeError, UnsupportedSchemaVersionError (e.g. written by a newer release)
   */
  upcast<T extends VersionedEvent>(event: T): T {
    const entry = this.entry(event.type);
    const from = event.schemaVersion;
    if (!Number.isSafeInteger(from) || from < 1 || from > entry.currentVersion) {
      throw new UnsupportedSchemaVersionError(event.type, from, entry.currentVersion);
    }
    if (from === entry.currentVersion) return event;
    // Upcasters may then build on their input freely without touching what the caller holds.
    let data: unknown = structuredClone(event.data);
    for (let v = from; v < entry.currentVersion; v++) data = entry.upcasters.get(v)!(data as never);
    return { ...event, schemaVersion: entry.currentVersion, data };
  }

  /** Problems of `data` against the schema of `type` at `version` (default: current); empty when valid. */
  issues(type: string, data: unknown, version?: number): string[] {
    return schemaIssues(this.schema(type, version), data);
  }

  /**
   * Checks `data` against the current schema of `type`, e.g. before an append.
   * @throws EventSchemaViolationError listing every problem; UnknownEventTypeError
   */
  validate(type: string, data: unknown): void {
    const version = this.currentVersion(type);
    const issues = this.issues(type, data, version);
    if (issues.length > 0) throw new EventSchemaViolationError(type, version, issues);
  }

  /** Every (type, version) schema, for the schema-change guard. */
  registeredSchemas(): RegisteredSchema[] {
    const out: RegisteredSchema[] = [];
    for (const [type, entry] of this.entries) {
      for (const [version, schema] of entry.schemas) {
        out.push({
          context: this.context,
          type,
          version,
          schema,
          upcastableFromPrevious: version === 1 || entry.upcasters.has(version - 1),
        });
      }
    }
    return out;
  }

  private entry(type: string): Entry {
    const entry = this.entries.get(type);
    if (entry === undefined) throw new UnknownEventTypeError(this.context, type);
    return entry;
  }
}

/** Rejects keywords outside the supported subset (they would be silently ignored) and bad patterns. */
function checkSchema(schema: JsonSchema, where: string): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    throw new EventRegistrationError(`${where}: a schema must be an object`);
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key)) throw new EventRegistrationError(`${where}: unsupported keyword ${JSON.stringify(key)}`);
  }
  if (schema.pattern !== undefined) {
    try {
      new RegExp(schema.pattern, 'u');
    } catch (e) {
      throw new EventRegistrationError(`${where}: invalid pattern ${schema.pattern} (${(e as Error).message})`);
    }
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) checkSchema(sub, `${where}.${name}`);
  if (schema.items !== undefined) checkSchema(schema.items, `${where}[]`);
  if (typeof schema.additionalProperties === 'object') checkSchema(schema.additionalProperties, `${where}.*`);
}

/** Frozen, so that a schema cannot change at run time behind its fingerprint. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
