import { BusConsumer, parseMessage, sendToDeadLetter, type DeadLetter, type IncomingBatch, type MessageBus } from '@hrp/messaging';
import { auditEntryOf, type AuditEntryDoc } from './audit-entry';
import type { AuditTrailStore } from './audit-trail.store';

export interface AuditTrailProjectorOptions {
  bus: MessageBus;
  store: AuditTrailStore;
  groupId: string;
  /** Each topic read and the context whose events it carries. */
  topics: ReadonlyMap<string, string>;
  dlqTopic: string;
  onDeadLetter?: (letter: DeadLetter) => void;
}

/**
 * The audit trail's consumer: every event of every context's topic (and the gateway's admin
 * topic) becomes an entry, a batch at a time. At-least-once delivery, exact result: entries and
 * bucket listings are inserted by deterministic ids, so a redelivered message changes nothing.
 * What cannot be parsed goes to the dead-letter topic; a failed write fails the batch, which the
 * supervised subscriber redelivers (and /health shows).
 */
export class AuditTrailProjector extends BusConsumer {
  readonly name = 'audit-trail';

  constructor(private readonly opts: AuditTrailProjectorOptions) {
    super(opts.bus, { groupId: opts.groupId, topics: [...opts.topics.keys()], fromBeginning: true, sliceSize: 1000 });
  }

  get topics(): readonly string[] {
    return [...this.opts.topics.keys()];
  }

  /** Joins the group and starts consuming (resolves once running). */
  start(): Promise<void> {
    return this.subscriber.run((batch) => this.handle(batch));
  }

  private async handle(batch: IncomingBatch): Promise<void> {
    const context = this.opts.topics.get(batch.topic);
    const letters: DeadLetter[] = [];
    const entries: AuditEntryDoc[] = [];
    for (const message of batch.messages) {
      const parsed = parseMessage(message);
      if (!parsed.ok) letters.push(parsed.letter);
      else if (!context) letters.push({ message, code: 'handler-failed', reason: `no context reads topic ${batch.topic}` });
      else entries.push(auditEntryOf(parsed.event, context));
    }
    await this.opts.store.write(entries);
    await sendToDeadLetter(this.dlq, this.opts.dlqTopic, this.groupId, letters);
    for (const l of letters) this.opts.onDeadLetter?.(l);
  }
}
