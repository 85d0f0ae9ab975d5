import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import mongoose from 'mongoose';
import { ensureEqualityIndexes, RuntimeHealth, type RuntimeReport } from '@hrp/context-kit';
import { consumerLag, deadLetterTopic, eventsTopic, KafkaJsBus, Relay } from '@hrp/messaging';
import { config, CONTEXTS } from '../config';
import { AdminService } from './admin.service';
import { AuditTrailProjector } from './audit-trail/audit-trail.projector';
import { AUDIT_BUCKET_KEYS, AUDIT_BUCKETS, AUDIT_ENTRIES, AUDIT_ENTRY_KEYS, AuditTrailStore } from './audit-trail/audit-trail.store';

/** The gateway's moving parts in /health: the audit trail's consumer and the admin stream's relay. */
export const platformRuntimeHealth = new RuntimeHealth(config.CONSUMER_STALL_MS);

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The gateway's own event-driven side: the relay that publishes the admin stream to the
 * `gateway` topic (so administrative acts reach Kafka like every other event) and the audit trail
 * projector that reads every context's topic and that one. It starts in the background and keeps
 * trying while Kafka or the store are not there (the gateway still serves the graph meanwhile);
 * until it runs, /health says why. A stalled consumer is restarted by a watchdog.
 */
@Injectable()
export class PlatformRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('platform-runtime');
  private readonly bus = new KafkaJsBus({
    brokers: config.KAFKA_BROKERS,
    clientId: 'hrp-gateway',
    handlerTimeoutMs: config.CONSUMER_BATCH_TIMEOUT_MS,
    log: (level, msg, extra) => (level === 'error' ? this.log.error({ msg, ...extra }) : this.log.warn({ msg, ...extra })),
  });
  private connection?: mongoose.Connection;
  private relay?: Relay;
  private projector?: AuditTrailProjector;
  private trail?: AuditTrailStore;
  private startError = 'starting';
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;

  constructor(private readonly admin: AdminService) {}

  onApplicationBootstrap(): void {
    platformRuntimeHealth.attach(() => this.report());
    void this.start();
  }

  /** The audit trail's store, once the runtime runs (an error otherwise: a read that cannot be answered). */
  auditTrail(): AuditTrailStore {
    if (!this.trail) throw new Error(`the audit trail is not available yet: ${this.startError}`);
    return this.trail;
  }

  private async start(): Promise<void> {
    try {
      const prefix = config.KAFKA_TOPIC_PREFIX;
      const topics = new Map([...CONTEXTS, 'gateway'].map((c) => [eventsTopic(c, prefix), c]));
      const dlq = deadLetterTopic(prefix);
      await this.bus.ensureTopics([...[...topics.keys()].map((topic) => ({ topic })), { topic: dlq, partitions: 1 }]);
      this.connection ??= await mongoose
        .createConnection(config.MONGO_URL, { dbName: config.GATEWAY_DB, serverSelectionTimeoutMS: 5000, maxPoolSize: 8 })
        .asPromise();
      const db = this.connection.db!;
      const warn = (m: string) => this.log.warn(m);
      await ensureEqualityIndexes(db, AUDIT_ENTRIES, AUDIT_ENTRY_KEYS, { postgresUrl: config.FERRETDB_POSTGRES_URL, warn });
      await ensureEqualityIndexes(db, AUDIT_BUCKETS, AUDIT_BUCKET_KEYS, { postgresUrl: config.FERRETDB_POSTGRES_URL, warn });
      const trail = new AuditTrailStore(db);
      this.relay = new Relay({
        context: 'gateway',
        source: await this.admin.store(),
        publisher: this.bus.publisher(),
        db,
        topicPrefix: prefix,
        onError: (e) => this.log.warn(`relay: ${message(e)}`),
      });
      this.relay.start();
      this.projector = new AuditTrailProjector({
        bus: this.bus,
        store: trail,
        groupId: `${prefix}hrp.gateway.audit-trail`,
        topics,
        dlqTopic: dlq,
        onDeadLetter: (l) => this.log.error(`audit-trail dead letter: ${l.reason}`),
      });
      await this.projector.start();
      this.trail = trail;
      const stall = config.CONSUMER_STALL_MS;
      this.watchdog = setInterval(() => void this.restartStalled(stall), Math.max(1000, Math.floor(stall / 3)));
      this.watchdog.unref();
    } catch (e) {
      this.startError = `not started: ${message(e)}`;
      this.log.error(`the audit trail and the admin relay did not start (trying again in 5 s): ${message(e)}`);
      await this.relay?.stop().catch(() => undefined);
      await this.projector?.stop().catch(() => undefined);
      this.relay = this.projector = undefined;
      if (!this.stopped) this.retry = setTimeout(() => void this.start(), 5000);
    }
  }

  private async report(): Promise<RuntimeReport> {
    if (!this.projector || !this.trail) throw new Error(this.startError);
    let lag: number | null = null;
    try {
      lag = await consumerLag(this.bus, this.projector.groupId, this.projector.topics);
    } catch {
      lag = null;
    }
    return {
      consumers: [{ name: this.projector.name, ...this.projector.status(), lag }],
      ...(this.relay ? { relay: this.relay.status() } : {}),
    };
  }

  /** A consumer behind its topics with no progress for `stallMs` gets a fresh member (and a log line). */
  private async restartStalled(stallMs: number): Promise<void> {
    const p = this.projector;
    if (!p) return;
    try {
      const s = p.status();
      const idle = Date.now() - s.lastProgressAt;
      if (idle <= stallMs) return;
      const lag = await consumerLag(this.bus, p.groupId, p.topics);
      if (s.state === 'running' && lag) await p.restart(`stalled: ${lag} events behind with no progress for ${Math.round(idle / 1000)} s`);
      else if (s.state === 'restarting') await p.restart(`still restarting after ${Math.round(idle / 1000)} s`);
    } catch (e) {
      this.log.error(`audit-trail watchdog: ${message(e)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.watchdog);
    await this.projector?.stop().catch(() => undefined);
    await this.relay?.stop().catch(() => undefined);
    await this.bus.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
