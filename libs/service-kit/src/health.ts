import {
  Controller,
  Get,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Public } from '@hrp/auth';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import mongoose from 'mongoose';

/**
 * One dependency's or moving part's health: resolves when it is well (optionally with details to
 * show), rejects with the reason otherwise (a {@link HealthCheckError} can carry details too).
 */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void | Record<string, unknown>>;
}

/** A failed check with the details that explain it (e.g. each consumer's state and lag). */
export class HealthCheckError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/**
 * `ping` on the MongoDB-compatible store through a small dedicated connection. A connection whose
 * first connect failed never retries (mongoose), so a store that was slow or away when the app
 * started would be reported down for good: a failed first connect is dropped and the next check
 * opens a new one.
 */
export class StoreHealth implements HealthCheck, OnModuleDestroy {
  readonly name = 'store';
  private opening?: Promise<mongoose.Connection>;
  constructor(private readonly url: string) {}
  private connection(): Promise<mongoose.Connection> {
    if (!this.opening) {
      const conn = mongoose.createConnection(this.url, { serverSelectionTimeoutMS: 2000, maxPoolSize: 1 });
      conn.on('error', () => undefined); // reported through check()
      const opening = conn.asPromise().catch(async (e: unknown) => {
        if (this.opening === opening) this.opening = undefined;
        await conn.close().catch(() => undefined);
        throw e;
      });
      this.opening = opening;
    }
    return this.opening;
  }
  async check() {
    const conn = await this.connection();
    await conn.db!.admin().ping();
  }
  async onModuleDestroy() {
    const conn = await this.opening?.catch(() => undefined);
    await conn?.close();
  }
}

/** Kafka metadata round trip (describeCluster) through an admin client. */
export class KafkaHealth implements HealthCheck, OnModuleDestroy {
  readonly name = 'kafka';
  private admin: Admin;
  private connected?: Promise<void>;
  constructor(brokers: string[], clientId: string) {
    this.admin = new Kafka({ brokers, clientId, logLevel: logLevel.NOTHING, connectionTimeout: 2000, retry: { retries: 0 } }).admin();
  }
  async check() {
    this.connected ??= this.admin.connect().catch((e: unknown) => {
      this.connected = undefined;
      throw e;
    });
    await this.connected;
    const cluster = await this.admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no broker');
  }
  async onModuleDestroy() {
    await this.admin.disconnect().catch(() => undefined);
  }
}

/** OpenID discovery of the realm: proves Keycloak answers for our realm. */
export class KeycloakHealth implements HealthCheck {
  readonly name = 'keycloak';
  constructor(private readonly realmUrl: string) {}
  async check() {
    const res = await fetch(`${this.realmUrl}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  }
}

type CheckResult =
  { status: 'up'; details?: Record<string, unknown> } | { status: 'down'; reason: string; details?: Record<string, unknown> };

@Injectable()
export class HealthService {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  async report() {
    const results = await Promise.all(
      this.checks.map(async (c): Promise<[string, CheckResult]> => {
        try {
          // A check that does not answer in time is down: /health itself must always answer.
          let timer: NodeJS.Timeout | undefined;
          const details = await Promise.race([
            c.check(),
            new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 3 s')), 3000))),
          ]).finally(() => clearTimeout(timer));
          return [c.name, details ? { status: 'up', details } : { status: 'up' }];
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          return [c.name, e instanceof HealthCheckError ? { status: 'down', reason, details: e.details } : { status: 'down', reason }];
        }
      }),
    );
    const checks: Record<string, CheckResult> = Object.fromEntries(results);
    const status = results.every(([, r]) => r.status === 'up') ? 'ok' : 'error';
    return { status, service: this.service, checks };
  }
}

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  async get() {
    const r = await this.health.report();
    if (r.status !== 'ok') throw new HttpException(r, HttpStatus.SERVICE_UNAVAILABLE);
    return r;
  }
}

@Module({})
export class HealthModule {
  /** GET /health answering 200 when every check is up, 503 with the reasons otherwise. */
  static forRoot(service: string, checks: HealthCheck[]): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_CHECKS, useValue: checks },
        { provide: SERVICE_NAME, useValue: service },
        HealthService,
        ...checks.map((c, i) => ({ provide: `health-check-${i}`, useValue: c })),
      ],
      exports: [HealthService],
    };
  }
}

/** The checks every app shares: the store and Kafka, from the platform configuration. */
export function platformHealthChecks(service: string, config: { MONGO_URL: string; KAFKA_BROKERS: string[] }): HealthCheck[] {
  return [new StoreHealth(config.MONGO_URL), new KafkaHealth(config.KAFKA_BROKERS, `hrp-${service}-health`)];
}
