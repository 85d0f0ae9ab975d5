import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import mongoose, { type mongo } from 'mongoose';
import { ensureEqualityIndexes, ensureFerretDbGinIndexes, RuntimeHealth, type RuntimeReport } from '@hrp/context-kit';
import { consumerLag, deadLetterTopic, eventsTopic, KafkaJsBus, Relay } from '@hrp/messaging';
import { config, CONTEXTS } from '../config';
import { AdminService } from './admin.service';
import { auditEntryOf } from './audit-trail/audit-entry';
import { AUDIT_BUCKET_KEYS, AUDIT_BUCKETS, AUDIT_ENTRIES, AUDIT_ENTRY_KEYS, AuditTrailStore } from './audit-trail/audit-trail.store';
import {
  REPORT_CELL_KEYS,
  REPORT_CELLS,
  REPORT_FACT_KEYS,
  REPORT_FACTS,
  REPORT_STATE_KEYS,
  REPORT_STATES,
  ReportingStore,
} from './reporting/reporting.store';
import { TopicsConsumer } from './topics.consumer';

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
  private consumers: TopicsConsumer[] = [];
  private trail?: AuditTrailStore;
  private reports?: ReportingStore;
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

  /** The reporting projections' store, once the runtime runs (an error otherwise). */
  reporting(): ReportingStore {
    if (!this.reports) throw new Error(`the reporting projections are not available yet: ${this.startError}`);
    return this.reports;
  }

  /** The gateway's own database, once the runtime runs (an error otherwise). */
  database(): mongo.Db {
    if (!this.connection?.db || !this.trail) throw new Error(`the gateway's database is not available yet: ${this.startError}`);
    return this.connection.db;
  }

  /** The reporting consumer's group and topics (read-your-writes waits for its offsets). */
  reportingConsumer(): TopicsConsumer | undefined {
    return this.consumers.find((c) => c.name === 'reporting');
  }

  get messageBus(): KafkaJsBus {
    return this.bus;
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
      await ensureEqualityIndexes(db, REPORT_FACTS, REPORT_FACT_KEYS, { postgresUrl: config.FERRETDB_POSTGRES_URL, warn });
      await ensureEqualityIndexes(db, REPORT_CELLS, REPORT_CELL_KEYS, { postgresUrl: config.FERRETDB_POSTGRES_URL, warn });
      // States are read by _id: MongoDB's own index; a GIN one on FerretDB.
      await db.createCollection(REPORT_STATES).catch(() => undefined);
      await ensureFerretDbGinIndexes(db, REPORT_STATES, REPORT_STATE_KEYS, { postgresUrl: config.FERRETDB_POSTGRES_URL, warn });
      // The gateway's own log (admin stream, indicator targets), read by stream.
      await ensureFerretDbGinIndexes(db, 'es_commits', ['_id', 'streamId', 'page', 'idempotencyKey'], {
        postgresUrl: config.FERRETDB_POSTGRES_URL,
        warn,
      });
      const trail = new AuditTrailStore(db);
      const reports = new ReportingStore(db);
      const upgraded = await reports.upgrade();
      if (upgraded > 0) this.log.log(`reporting: ${upgraded} cells summed from facts written before cells`);
      this.relay = new Relay({
        context: 'gateway',
        source: await this.admin.store(),
        publisher: this.bus.publisher(),
        db,
        topicPrefix: prefix,
        onError: (e) => this.log.warn(`relay: ${message(e)}`),
      });
      this.relay.start();
      const common = { bus: this.bus, dlqTopic: dlq, onDeadLetter: (l: { reason: string }) => this.log.error(`dead letter: ${l.reason}`) };
      this.consumers = [
        new TopicsConsumer({
          ...common,
          name: 'audit-trail',
          groupId: `${prefix}hrp.gateway.audit-trail`,
          topics,
          apply: (context, events) => trail.write(events.map((e) => auditEntryOf(e, context))),
        }),
        new TopicsConsumer({
          ...common,
          name: 'reporting',
          groupId: `${prefix}hrp.gateway.reporting`,
          // The contexts' topics (not the admin one).
          topics: new Map([...topics].filter(([, c]) => c !== 'gateway')),
          apply: (context, events) => reports.apply(context, events),
        }),
      ];
      for (const c of this.consumers) await c.start();
      this.trail = trail;
      this.reports = reports;
      const stall = config.CONSUMER_STALL_MS;
      this.watchdog = setInterval(() => void this.restartStalled(stall), Math.max(1000, Math.floor(stall / 3)));
      this.watchdog.unref();
    } catch (e) {
      this.startError = `not started: ${message(e)}`;
      this.log.error(`the audit trail and the admin relay did not start (trying again in 5 s): ${message(e)}`);
      await this.relay?.stop().catch(() => undefined);
      for (const c of this.consumers) await c.stop().catch(() => undefined);
      this.relay = undefined;
      this.consumers = [];
      if (!this.stopped) this.retry = setTimeout(() => void this.start(), 5000);
    }
  }

  private async report(): Promise<RuntimeReport> {
    if (!this.trail || this.consumers.length === 0) throw new Error(this.startError);
    const ends = new Map<string, { partition: number; high: string }[]>();
    const consumers = [];
    for (const c of this.consumers) {
      let lag: number | null = null;
      try {
        lag = await consumerLag(this.bus, c.groupId, c.topics, ends);
      } catch {
        lag = null;
      }
      consumers.push({ name: c.name, ...c.status(), lag });
    }
    return { consumers, ...(this.relay ? { relay: this.relay.status() } : {}) };
  }

  /** A consumer behind its topics with no progress for `stallMs` gets a fresh member (and a log line). */
  private async restartStalled(stallMs: number): Promise<void> {
    for (const c of this.consumers) {
      try {
        const s = c.status();
        const idle = Date.now() - s.lastProgressAt;
        if (idle <= stallMs) continue;
        const lag = await consumerLag(this.bus, c.groupId, c.topics);
        if (s.state === 'running' && lag)
          await c.restart(`stalled: ${lag} events behind with no progress for ${Math.round(idle / 1000)} s`);
        else if (s.state === 'restarting') await c.restart(`still restarting after ${Math.round(idle / 1000)} s`);
      } catch (e) {
        this.log.error(`${c.name} watchdog: ${message(e)}`);
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.watchdog);
    for (const c of this.consumers) await c.stop().catch(() => undefined);
    await this.relay?.stop().catch(() => undefined);
    await this.bus.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
