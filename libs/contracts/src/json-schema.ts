/**
 * A small subset of JSON Schema, enough to describe event data and to fingerprint it. Kept
 * in-house so that contracts has no runtime dependency; the semantics follow JSON Schema.
 */

/** JSON types known to the subset; `integer` is a number with no fractional part. */
export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** A schema node. Keywords not listed here are not supported (and not fingerprinted). */
export interface JsonSchema {
  /** One type, or several for unions such as `['string', 'null']`. */
  readonly type?: JsonType | readonly JsonType[];
  /** Annotation only: ignored by validation and by fingerprints, so it can be reworded freely. */
  readonly description?: string;
  readonly enum?: readonly (string | number | boolean | null)[];
  // object
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  /** As in JSON Schema, extra properties are allowed unless this is `false`. */
  readonly additionalProperties?: boolean | JsonSchema;
  // array
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  // string
  readonly minLength?: number;
  readonly maxLength?: number;
  /** ECMAScript regular expression, unanchored as in JSON Schema: anchor it with ^…$. */
  readonly pattern?: string;
  /** `date` (YYYY-MM-DD) or `date-time` (ISO 8601 instant with an offset). */
  readonly format?: 'date' | 'date-time';
  // number
  readonly minimum?: number;
  readonly maximum?: number;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** YYYY-MM-DD naming a day that exists (no 30 February). */
function isCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function typeOf(value: unknown): JsonType | 'undefined' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isFinite(value) ? (Number.isInteger(value) ? 'integer' : 'number') : 'other';
    case 'object':
      return 'object';
    case 'undefined':
      return 'undefined';
    default:
      return 'other'; // bigint, function, symbol: not JSON
  }
}

/**
 * Problems with `value` against `schema`, each prefixed by a JSON path (`$.title.fr`); empty when
 * valid. Collects all problems rather than stopping at the first, to make test failures readable.
 */
export function schemaIssues(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const issues: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed: readonly JsonType[] = typeof schema.type === 'string' ? [schema.type] : schema.type;
    const ok = allowed.includes(actual as JsonType) || (actual === 'integer' && allowed.includes('number'));
    if (!ok) return [`${path}: expected ${allowed.join(' or ')}, got ${actual === 'other' ? typeof value : actual}`];
  }
  if (schema.enum !== undefined && !schema.enum.includes(value as string)) {
    issues.push(`${path}: expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`);
  }
  if (actual === 'string') {
    const s = value as string;
    const length = [...s].length;
    if (schema.minLength !== undefined && length < schema.minLength) issues.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && length > schema.maxLength) issues.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(s)) issues.push(`${path}: does not match ${schema.pattern}`);
    if (schema.format === 'date' && !isCalendarDate(s)) issues.push(`${path}: not a date (YYYY-MM-DD)`);
    if (schema.format === 'date-time' && (!DATE_TIME.test(s) || Number.isNaN(Date.parse(s))))
      issues.push(`${path}: not an ISO 8601 date-time`);
  }
  if (actual === 'integer' || actual === 'number') {
    const n = value as number;
    if (schema.minimum !== undefined && n < schema.minimum) issues.push(`${path}: less than ${schema.minimum}`);
    if (schema.maximum !== undefined && n > schema.maximum) issues.push(`${path}: greater than ${schema.maximum}`);
  }
  if (actual === 'array') {
    const a = value as unknown[];
    if (schema.minItems !== undefined && a.length < schema.minItems) issues.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && a.length > schema.maxItems) issues.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items !== undefined) a.forEach((item, i) => issues.push(...schemaIssues(schema.items!, item, `${path}[${i}]`)));
  }
  if (actual === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (o[key] === undefined) issues.push(`${path}.${key}: required`);
    }
    const properties = schema.properties ?? {};
    for (const [key, v] of Object.entries(o)) {
      if (v === undefined) continue; // absent after JSON serialisation
      const own = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
      if (own !== undefined) issues.push(...schemaIssues(own, v, `${path}.${key}`));
      else if (schema.additionalProperties === false) issues.push(`${path}.${key}: not allowed`);
      else if (typeof schema.additionalProperties === 'object')
        issues.push(...schemaIssues(schema.additionalProperties, v, `${path}.${key}`));
    }
  }
  return issues;
}
