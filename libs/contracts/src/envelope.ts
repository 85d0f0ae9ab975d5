import { EnvelopeError } from './errors';
import type { EventMetadata, StoredEvent } from './stored-event';

/**
 * HRP events on the wire: CloudEvents 1.0 (JSON event format) plus HRP extension attributes.
 *
 * Naming scheme (stable, parsed back by `fromCloudEvent`):
 * - `source`: `/hrp/<context>`, e.g. `/hrp/campaigns`
 * - `type`: `hrp.<context>.<EventType>.v<schemaVersion>`, e.g. `hrp.campaigns.CampaignLaunched.v2`
 *   (reverse-DNS-like prefix, version last so that routers can match on the unversioned part)
 * - `subject`: the stream id; `id`: the event id (consumers deduplicate on source + id)
 *
 * Extension attribute names are lowercase letters and digits only, as CloudEvents requires.
 * In Kafka's binary content mode every attribute becomes a header, so attributes carry no
 * personal data: the actor is identified by Keycloak subject and username only, and the data
 * (which may hold personal data, to be crypto-shredded) stays in the body.
 */
export interface HrpCloudEvent<Data = unknown> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  /** The stream id. */
  readonly subject: string;
  /** ISO 8601 instant of the command that produced the event. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: Data;
  /** 1-based version of the event in its stream. */
  readonly streamversion: number;
  /** Schema version of `data` (also the `.v<n>` suffix of `type`). */
  readonly schemaversion: number;
  /**
   * Position in the context's global order, as a string of digits: CloudEvents integers are
   * 32-bit, a global position is not bounded by that (same form as the GraphQL position token).
   */
  readonly position: string;
  /** Keycloak subject (`sub`) of the actor. */
  readonly actorsub: string;
  /** Keycloak username of the actor. */
  readonly actorname: string;
  readonly correlationid: string;
  /** Absent when the command had no cause (CloudEvents forbids null attribute values). */
  readonly causationid?: string;
}

/** Names of the HRP extension attributes, for transports that map attributes to headers. */
export const HRP_EXTENSION_ATTRIBUTES = [
  'streamversion',
  'schemaversion',
  'position',
  'actorsub',
  'actorname',
  'correlationid',
  'causationid',
] as const;

const CONTEXT = /^[a-z][a-z0-9]*$/;
const TYPE = /^hrp\.([a-z][a-z0-9]*)\.([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)$/;
const SOURCE = /^\/hrp\/([a-z][a-z0-9]*)$/;
const DIGITS = /^(0|[1-9][0-9]*)$/;

/** `/hrp/<context>`. */
export function cloudEventSource(context: string): string {
  assertContext(context);
  return `/hrp/${context}`;
}

/** `hrp.<context>.<EventType>.v<schemaVersion>`. */
export function cloudEventType(context: string, eventType: string, schemaVersion: number): string {
  assertContext(context);
  const type = `hrp.${context}.${eventType}.v${schemaVersion}`;
  if (!TYPE.test(type))
    throw new EnvelopeError(`cannot name ${eventType} v${schemaVersion}: PascalCase type and positive integer version required`);
  return type;
}

/** Inverse of `cloudEventType`. @throws EnvelopeError when the type does not follow the scheme */
export function parseCloudEventType(type: string): { context: string; eventType: string; schemaVersion: number } {
  const m = TYPE.exec(type);
  if (!m) throw new EnvelopeError(`type ${JSON.stringify(type)} does not follow hrp.<context>.<EventType>.v<n>`);
  return { context: m[1], eventType: m[2], schemaVersion: Number(m[3]) };
}

/** A stored event as a CloudEvents 1.0 envelope (a plain, JSON-serialisable object). */
export function toCloudEvent<Data>(stored: StoredEvent<string, Data>, options: { readonly context: string }): HrpCloudEvent<Data> {
  const { context } = options;
  const { metadata } = stored;
  return {
    specversion: '1.0',
    id: metadata.eventId,
    source: cloudEventSource(context),
    type: cloudEventType(context, stored.type, stored.schemaVersion),
    subject: stored.streamId,
    time: metadata.time,
    datacontenttype: 'application/json',
    data: stored.data,
    streamversion: stored.streamVersion,
    schemaversion: stored.schemaVersion,
    position: String(stored.position),
    actorsub: metadata.actor.subject,
    actorname: metadata.actor.username,
    correlationid: metadata.correlationId,
    ...(metadata.causationId !== undefined ? { causationid: metadata.causationId } : {}),
  };
}

/**
 * A CloudEvents envelope back to a stored event (inverse of `toCloudEvent`). Accepts the
 * structured form as well as attributes read from headers, where integers arrive as strings.
 * The data is returned at the schema version it was written with: upcast it with the registry.
 * @throws EnvelopeError naming the first attribute that is missing or malformed
 */
export function fromCloudEvent(envelope: unknown): StoredEvent {
  if (typeof envelope !== 'object' || envelope === null) throw new EnvelopeError('a CloudEvent must be an object');
  const e = envelope as Record<string, unknown>;
  if (e.specversion !== '1.0') throw new EnvelopeError(`specversion must be "1.0", got ${JSON.stringify(e.specversion)}`);
  if (e.datacontenttype !== undefined && e.datacontenttype !== 'application/json') {
    throw new EnvelopeError(`datacontenttype must be application/json, got ${JSON.stringify(e.datacontenttype)}`);
  }
  const source = SOURCE.exec(text(e, 'source'));
  if (!source) throw new EnvelopeError(`source ${JSON.stringify(e.source)} does not follow /hrp/<context>`);
  const { context, eventType, schemaVersion } = parseCloudEventType(text(e, 'type'));
  if (context !== source[1]) throw new EnvelopeError(`type names context ${context} but source is ${String(e.source)}`);
  const declaredVersion = integer(e, 'schemaversion');
  if (declaredVersion !== schemaVersion) throw new EnvelopeError(`schemaversion ${declaredVersion} contradicts type ${String(e.type)}`);
  const time = text(e, 'time');
  if (Number.isNaN(Date.parse(time))) throw new EnvelopeError(`time ${JSON.stringify(time)} is not an RFC 3339 timestamp`);
  const causationId = e.causationid === undefined || e.causationid === null ? undefined : text(e, 'causationid');
  const metadata: EventMetadata = {
    eventId: text(e, 'id'),
    time,
    actor: { subject: text(e, 'actorsub'), username: text(e, 'actorname') },
    correlationId: text(e, 'correlationid'),
    ...(causationId !== undefined ? { causationId } : {}),
  };
  const streamVersion = integer(e, 'streamversion');
  if (streamVersion < 1) throw new EnvelopeError('streamversion must be at least 1');
  return {
    streamId: text(e, 'subject'),
    streamVersion,
    position: integer(e, 'position'),
    type: eventType,
    schemaVersion,
    data: typeof e.data === 'string' ? parseJson(e.data) : e.data,
    metadata,
  };
}

function assertContext(context: string): void {
  if (!CONTEXT.test(context)) throw new EnvelopeError(`context ${JSON.stringify(context)} must be lowercase letters and digits`);
}

function text(e: Record<string, unknown>, name: string): string {
  const value = e[name];
  if (typeof value !== 'string' || value.length === 0) throw new EnvelopeError(`${name} must be a non-empty string`);
  return value;
}

function integer(e: Record<string, unknown>, name: string): number {
  const value = e[name];
  const n = typeof value === 'number' ? value : typeof value === 'string' && DIGITS.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new EnvelopeError(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new EnvelopeError('data is a string but not JSON');
  }
}
