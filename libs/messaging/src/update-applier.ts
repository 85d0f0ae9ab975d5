/**
 * MongoDB update operators applied to a plain in-memory document, as the store would apply them
 * to the stored one: what a projection rebuild uses to fold a topic before inserting the result.
 *
 * Supported, with the semantics MongoDB (and FerretDB 1.24, checked against it) gives them:
 * - `$set` and `$setOnInsert`: dotted paths; missing intermediate documents are created; a
 *   numeric segment indexes an existing array (padding with null past its end).
 * - `$inc`: dotted paths; a missing field starts at 0; the argument and the field must be numbers.
 * - `$push`: appends one value, or each of `{ $each: [...] }`; a missing field becomes an array.
 *
 * `$setOnInsert` applies only when the update creates the document (`inserting`); a projection's
 * documents exist before their first event's update (see MongoProjection), so there it is inert,
 * live as in a rebuild.
 *
 * Like the store, an update is all or nothing: it is checked entirely (operators, arguments,
 * conflicting paths, the types along each path) before the document is touched, and what the
 * store would refuse throws an {@link UpdateRefusedError}; what this does not model (other
 * operators, `$push` modifiers other than `$each`, positional `$` paths, BSON wrapper numbers)
 * throws one too rather than guessing. New fields are added in the order the store adds them:
 * paths sorted field by field (numeric names numerically, others by code unit), so a document
 * built here serializes like the one updates build in the store.
 */

/** A document as the driver reads it: fields by name. */
export type PlainDocument = Record<string, unknown>;

/** The update is one the store refuses, or one this applier does not model. */
export class UpdateRefusedError extends Error {
  override readonly name = 'UpdateRefusedError';
}

export interface ApplyUpdateOptions {
  /** The update creates the document: `$setOnInsert` applies (default false). */
  inserting?: boolean;
  /**
   * Fields to `$set` as well, replacing the update's `$set` of the same paths: the same as
   * `{ ...update, $set: { ...update.$set, ...set } }`, without building it.
   */
  set?: PlainDocument;
}

type Operator = '$set' | '$setOnInsert' | '$inc' | '$push';
const OPERATORS: ReadonlySet<string> = new Set<Operator>(['$set', '$setOnInsert', '$inc', '$push']);

interface Step {
  op: Operator;
  path: string;
  segments: string[];
  value: unknown;
}

const NUMERIC = /^\d+$/;

/** A plain object (not an array, a Date, an ObjectId or another class instance). */
function isPlainObject(v: unknown): v is PlainDocument {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

function compareSegment(a: string, b: string): number {
  if (a === b) return 0;
  if (isDigit(a.charCodeAt(0)) && isDigit(b.charCodeAt(0)) && NUMERIC.test(a) && NUMERIC.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : 1;
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareSegment(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function isPrefix(prefix: readonly string[], of: readonly string[]): boolean {
  if (prefix.length > of.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== of[i]) return false;
  return true;
}

/** Deep copy of plain objects and arrays; Dates are copied; other values (BSON types) are kept. */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => cloneValue(x)) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: PlainDocument = {};
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k]);
    return out as T;
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  return typeof v === 'object' ? (isPlainObject(v) ? 'object' : (v.constructor?.name ?? 'object')) : typeof v;
}

/** Checks that a value has no field name the store refuses (`$…`), at any depth. */
function checkStoredValue(v: unknown, path: string): void {
  if (Array.isArray(v)) {
    for (const x of v) checkStoredValue(x, path);
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      if (k.startsWith('$'))
        throw new UpdateRefusedError(`invalid key ${JSON.stringify(k)} in the value of ${path} (key must not start with '$')`);
      checkStoredValue(v[k], path);
    }
  }
}

/** Where a path leads in `doc`: the value there (undefined = missing), or the reason it cannot be written. */
function probe(doc: PlainDocument, segments: readonly string[], path: string): { exists: boolean; value: unknown } {
  let node: unknown = doc;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i];
    if (Array.isArray(node)) {
      if (!NUMERIC.test(key)) throw new UpdateRefusedError(`cannot create field '${key}' in an array (path ${path})`);
      const idx = Number(key);
      if (idx >= node.length || node[idx] === undefined) return { exists: false, value: undefined };
      node = node[idx];
    } else if (isPlainObject(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, key) || node[key] === undefined) return { exists: false, value: undefined };
      node = node[key];
    } else {
      throw new UpdateRefusedError(`cannot create field '${key}' in a ${describe(node)} (path ${path})`);
    }
  }
  return { exists: true, value: node };
}

/** The container of the path's last segment, creating missing documents along the way (checked before). */
function containerOf(doc: PlainDocument, segments: readonly string[]): PlainDocument | unknown[] {
  let node: PlainDocument | unknown[] = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    if (Array.isArray(node)) {
      const idx = Number(key);
      while (node.length < idx) node.push(null);
      if (node[idx] === undefined) node[idx] = {};
      node = node[idx] as PlainDocument | unknown[];
    } else {
      if (node[key] === undefined) node[key] = {};
      node = node[key] as PlainDocument | unknown[];
    }
  }
  return node;
}

function write(container: PlainDocument | unknown[], key: string, value: unknown): void {
  if (Array.isArray(container)) {
    const idx = Number(key);
    while (container.length < idx) container.push(null);
    container[idx] = value;
  } else {
    container[key] = value;
  }
}

function read(container: PlainDocument | unknown[], key: string): unknown {
  return Array.isArray(container) ? container[Number(key)] : container[key];
}

function stepOf(op: Operator, path: string, value: unknown): Step {
  const segments = path.indexOf('.') < 0 ? [path] : path.split('.');
  for (const seg of segments) {
    if (seg.length === 0) throw new UpdateRefusedError(`the update path '${path}' contains an empty field name`);
    if (seg.charCodeAt(0) === 36 /* $ */)
      throw new UpdateRefusedError(`the update path '${path}' has a '$' field name (positional updates are not supported)`);
  }
  if (segments[0] === '_id') throw new UpdateRefusedError(`the update path '${path}' would modify the immutable field '_id'`);
  if (op === '$inc') {
    if (typeof value !== 'number') throw new UpdateRefusedError(`$inc of ${path} needs a number, got ${describe(value)}`);
  } else if (op === '$push') checkPushArgument(value, path);
  else if (typeof value === 'object' && value !== null) checkStoredValue(value, path);
  return { op, path, segments, value };
}

/**
 * The steps of an update, validated against itself (operators, paths, arguments), sorted by
 * path. `extraSet` fields are set too, replacing the update's `$set` of the same path.
 */
function stepsOf(update: unknown, extraSet: PlainDocument | undefined): Step[] {
  if (!isPlainObject(update)) throw new UpdateRefusedError(`an update must be a document of operators, got ${describe(update)}`);
  const steps: Step[] = [];
  for (const op of Object.keys(update)) {
    if (!OPERATORS.has(op)) {
      if (op.charCodeAt(0) !== 36)
        throw new UpdateRefusedError(`update document requires atomic operators (got field ${JSON.stringify(op)})`);
      throw new UpdateRefusedError(`update operator ${op} is not supported in memory (supported: ${[...OPERATORS].join(', ')})`);
    }
    const fields = update[op];
    if (fields === undefined) continue;
    if (!isPlainObject(fields)) throw new UpdateRefusedError(`${op} must be a document of fields, got ${describe(fields)}`);
    const replaced = op === '$set' ? extraSet : undefined;
    for (const path of Object.keys(fields)) {
      if (replaced && Object.prototype.hasOwnProperty.call(replaced, path)) continue;
      steps.push(stepOf(op as Operator, path, fields[path]));
    }
  }
  if (extraSet) for (const path of Object.keys(extraSet)) steps.push(stepOf('$set', path, extraSet[path]));
  if (steps.length < 2) return steps;
  steps.sort((a, b) => comparePaths(a.segments, b.segments));
  for (let i = 1; i < steps.length; i++) {
    // Sorted field by field, a path that equals or contains another comes right before it.
    if (isPrefix(steps[i - 1].segments, steps[i].segments))
      throw new UpdateRefusedError(`updating the path '${steps[i].path}' would create a conflict at '${steps[i - 1].path}'`);
  }
  return steps;
}

function checkPushArgument(value: unknown, path: string): void {
  if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
    const keys = Object.keys(value);
    if (keys.length !== 1 || keys[0] !== '$each')
      throw new UpdateRefusedError(`$push modifiers other than $each are not supported in memory (${path}: ${keys.join(', ')})`);
    if (!Array.isArray(value.$each)) throw new UpdateRefusedError(`the argument to $each in $push must be an array (${path})`);
    checkStoredValue(value.$each, path);
    return;
  }
  checkStoredValue(value, path);
}

/**
 * Applies a MongoDB update to `doc` in place (all or nothing) and returns it. Throws
 * {@link UpdateRefusedError}, leaving `doc` untouched, for an update the store would refuse or
 * that this does not model. Values are copied: the update and the document share nothing after.
 */
export function applyUpdate(doc: PlainDocument, update: unknown, opts: ApplyUpdateOptions = {}): PlainDocument {
  const steps = stepsOf(update, opts.set);
  // Check every step against the document before writing anything.
  for (const s of steps) {
    if (s.op === '$setOnInsert' && !opts.inserting) continue;
    const at = probe(doc, s.segments, s.path);
    if (s.op === '$inc' && at.exists && typeof at.value !== 'number')
      throw new UpdateRefusedError(`cannot apply $inc to ${s.path}, a ${describe(at.value)}`);
    if (s.op === '$push' && at.exists && !Array.isArray(at.value))
      throw new UpdateRefusedError(`${s.path} must be an array to $push to, but is a ${describe(at.value)}`);
  }
  for (const s of steps) {
    if (s.op === '$setOnInsert' && !opts.inserting) continue;
    const container = containerOf(doc, s.segments);
    const key = s.segments[s.segments.length - 1];
    const current = read(container, key);
    switch (s.op) {
      case '$set':
      case '$setOnInsert':
        write(container, key, cloneValue(s.value));
        break;
      case '$inc':
        write(container, key, (current === undefined ? 0 : (current as number)) + (s.value as number));
        break;
      case '$push': {
        const values = isPlainObject(s.value) && '$each' in s.value ? (s.value.$each as unknown[]) : [s.value];
        const list = current === undefined ? [] : (current as unknown[]);
        for (const v of values) list.push(cloneValue(v));
        write(container, key, list);
        break;
      }
    }
  }
  return doc;
}
