import type { StoredEvent } from '@hrp/contracts';
import { BusConsumer, parseMessage, sendToDeadLetter, type DeadLetter, type IncomingBatch, type MessageBus } from '@hrp/messaging';

export interface TopicsConsumerOptions {
  /** Its name in /health. */
  name: string;
  bus: MessageBus;
  groupId: string;
  /** Each topic read and the context whose events it carries. */
  topics: ReadonlyMap<string, string>;
  dlqTopic: string;
  /** Applies a batch of one context's events (in their order); must be idempotent. */
  apply(context: string, events: readonly StoredEvent[]): Promise<void>;
  onDeadLetter?: (letter: DeadLetter) => void;
}

/**
 * A gateway read model's consumer of the contexts' topics (the audit trail, the reporting
 * projections): a batch of one partition at a time, applied whole. At-least-once delivery, so
 * `apply` is idempotent. What cannot be parsed goes to the dead-letter topic; a failed apply
 * fails the batch, which the supervised subscriber redelivers (and /health shows).
 */
export class TopicsConsumer extends BusConsumer {
  readonly name: string;

  constructor(private readonly opts: TopicsConsumerOptions) {
    super(opts.bus, { groupId: opts.groupId, topics: [...opts.topics.keys()], fromBeginning: true, sliceSize: 1000 });
    this.name = opts.name;
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
    const events: StoredEvent[] = [];
    for (const message of batch.messages) {
      const parsed = parseMessage(message);
      if (!parsed.ok) letters.push(parsed.letter);
      else if (!context) letters.push({ message, code: 'handler-failed', reason: `no context reads topic ${batch.topic}` });
      else events.push(parsed.event);
    }
    if (context && events.length > 0) await this.opts.apply(context, events);
    await sendToDeadLetter(this.dlq, this.opts.dlqTopic, this.groupId, letters);
    for (const l of letters) this.opts.onDeadLetter?.(l);
  }
}
