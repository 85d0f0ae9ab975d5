import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Connection, mongo } from 'mongoose';
import { EVENT_STORE_CONNECTION, EventStore } from '@hrp/event-store';
import {
  deadLetterTopic,
  eventsTopic,
  KafkaJsBus,
  MongoProjection,
  NonRetryableError,
  Relay,
  Subscription,
  waitForPosition,
} from '@hrp/messaging';
import { config } from '../config';
import { recordFundingDecisionFrom } from './campaign.decider';
import { CampaignService, commandMetadata } from './campaign.service';
import { CAMPAIGNS_CONTEXT } from './campaign.registry';
import { CAMPAIGN_VIEW, campaignViewHandlers, type CampaignViewDoc } from './projections/campaign-view.projection';

/** The finance context's actor on system commands (decisions arrive as events, not requests). */
const FINANCE_ACTOR = { subject: 'system:finance-events', username: 'finance-events' };

/**
 * The moving parts of the campaigns service around its event store: the relay (store → Kafka),
 * the campaign read model (Kafka → MongoDB), and the consumer of finance's funding decisions
 * (Kafka → commands). All are safe with several instances: the relay holds a lease, the
 * consumers are group members, and every write is idempotent.
 */
@Injectable()
export class CampaignsRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('CampaignsRuntime');
  readonly bus = new KafkaJsBus({ brokers: config.KAFKA_BROKERS, clientId: 'hrp-campaigns' });
  readonly topic = eventsTopic(CAMPAIGNS_CONTEXT, config.KAFKA_TOPIC_PREFIX);
  readonly financeTopic = eventsTopic('finance', config.KAFKA_TOPIC_PREFIX);
  readonly dlq = deadLetterTopic(config.KAFKA_TOPIC_PREFIX);
  readonly view: MongoProjection;
  private relay?: Relay;
  private funding?: Subscription;

  constructor(
    private readonly store: EventStore,
    @Inject(EVENT_STORE_CONNECTION) private readonly connection: Connection,
    private readonly campaigns: CampaignService,
  ) {
    this.view = new MongoProjection({ name: CAMPAIGN_VIEW, db: this.connection.db!, handlers: campaignViewHandlers });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopics([{ topic: this.topic }, { topic: this.financeTopic }, { topic: this.dlq, partitions: 1 }]);
    this.relay = new Relay({
      context: CAMPAIGNS_CONTEXT,
      source: this.store,
      publisher: this.bus.publisher(),
      db: this.connection.db!,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      onError: (e) => this.log.warn(`relay: ${e instanceof Error ? e.message : String(e)}`),
    });
    this.relay.start();
    await this.view.start({
      bus: this.bus,
      topics: [this.topic],
      dlqTopic: this.dlq,
      groupPrefix: `${config.KAFKA_TOPIC_PREFIX}hrp.campaigns.`,
      onDeadLetter: (l) => this.log.error(`campaign view dead letter: ${l.reason}`),
    });
    this.funding = new Subscription({
      bus: this.bus,
      groupId: `${config.KAFKA_TOPIC_PREFIX}hrp.campaigns.funding-decisions`,
      topics: [this.financeTopic],
      dlqTopic: this.dlq,
      handlers: { CommitmentApproved: (e) => this.onFundingDecision(e), CommitmentRejected: (e) => this.onFundingDecision(e) },
      onDeadLetter: (l) => this.log.error(`funding decision dead letter: ${l.reason}`),
    });
    await this.funding.start();
  }

  /** A finance decision becomes a RecordFundingDecision command; redelivery is a no-op. */
  private async onFundingDecision(event: { type: string; data: unknown; metadata: { eventId: string; correlationId: string } }) {
    let command;
    try {
      command = recordFundingDecisionFrom(event, {
        ...commandMetadata(FINANCE_ACTOR),
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.eventId,
      });
    } catch (e) {
      throw new NonRetryableError(`malformed funding decision: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!command) return;
    await this.campaigns.run(command.data.campaignId, command);
  }

  /** Read-your-writes: waits (bounded) until the view applied `token` for `streamId` (or overall). */
  async waitFor(token: string | null | undefined, streamId?: string): Promise<void> {
    if (!token) return;
    await waitForPosition(this.view, token, { timeoutMs: 5000, ...(streamId ? { streamId } : {}) });
  }

  async viewCollection(): Promise<mongo.Collection<CampaignViewDoc>> {
    return (await this.view.collection()) as unknown as mongo.Collection<CampaignViewDoc>;
  }

  async onModuleDestroy(): Promise<void> {
    await this.funding?.stop().catch(() => undefined);
    await this.view.stop().catch(() => undefined);
    await this.relay?.stop().catch(() => undefined);
    await this.bus.close().catch(() => undefined);
  }
}
