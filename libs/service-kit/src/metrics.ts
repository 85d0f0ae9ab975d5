import { Controller, Get, Header, Module } from '@nestjs/common';
import { Public } from '@hrp/auth';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client): GraphQL operations and commands with latency
 * histograms, and gauges the runtime fills on each scrape (consumer lag and restarts, relay).
 * One registry per process: each app is its own process.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly graphql = new Histogram({
    name: 'hrp_graphql_operation_seconds',
    help: 'GraphQL root fields handled, by type, name and outcome (ok or the error code)',
    labelNames: ['type', 'name', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly commands = new Histogram({
    name: 'hrp_command_seconds',
    help: 'Commands handled, by command type and outcome (ok, noop, replayed or the error code)',
    labelNames: ['command', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'hrp_consumer_lag_events',
    help: 'Events on its topics a consumer has not handled yet',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly consumerRestarts = new Gauge({
    name: 'hrp_consumer_restarts',
    help: 'Restarts of a consumer since the process started (crashes, failed batches, stalls)',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly consumerUp = new Gauge({
    name: 'hrp_consumer_running',
    help: '1 when the consumer is running in its group, 0 otherwise',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly relayPublished = new Gauge({
    name: 'hrp_relay_published_events',
    help: 'Events this instance has published to Kafka since it started',
    registers: [this.registry],
  });
  readonly relayPending = new Gauge({
    name: 'hrp_relay_pending_events',
    help: 'Events committed to the store and not yet published (store head minus relay checkpoint)',
    registers: [this.registry],
  });
  readonly failures = new Counter({
    name: 'hrp_background_failures_total',
    help: 'Failures of background work (consumer batches, relay rounds), by part',
    labelNames: ['part'] as const,
    registers: [this.registry],
  });
  private readonly collectors: (() => Promise<void>)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Runs before each scrape (e.g. the runtime reading its consumers' lag). */
  onScrape(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  async scrape(): Promise<string> {
    await Promise.allSettled(this.collectors.map((c) => c()));
    return this.registry.metrics();
  }
}

/** This process's metrics. */
export const metrics = new Metrics();

@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', metrics.registry.contentType)
  scrape(): Promise<string> {
    return metrics.scrape();
  }
}

/** GET /metrics in the Prometheus text format (no token: scrape it from the private network only). */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
