import { fromCloudEvent, toCloudEvent, type StoredEvent } from '@hrp/contracts';
import type { OutgoingMessage } from './transport';

/** Structured-mode CloudEvents over Kafka: the whole envelope is the value. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * The Kafka message of a stored event: key = stream id (per-stream order, no personal data),
 * value = its CloudEvents 1.0 JSON envelope, one technical header.
 */
export function toMessage(event: StoredEvent, context: string): OutgoingMessage {
  return {
    key: event.streamId,
    value: JSON.stringify(toCloudEvent(event, { context })),
    headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
  };
}

/** Parses a message value back into a stored event; throws on anything that is not one. */
export function fromMessageValue(value: Buffer | string | null): StoredEvent {
  if (value === null || value.length === 0) throw new Error('empty message value');
  const text = typeof value === 'string' ? value : value.toString('utf8');
  const envelope: unknown = JSON.parse(text);
  return fromCloudEvent(envelope);
}
