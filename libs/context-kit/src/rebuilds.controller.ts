import { Controller, Get, HttpException, HttpStatus, Inject, Injectable, Logger, Param, Post } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { CurrentPrincipal, type Principal } from '@hrp/auth';
import { EVENT_STORE_CONNECTION } from '@hrp/event-store';
import { replayProjection } from './replay/replay';
import { CONTEXT, type ContextSettings, ContextRuntime } from './runtime';

/** The progress of a rebuild of one read model, as this instance runs it. */
export interface RebuildStatus {
  readonly context: string;
  readonly projection: string;
  readonly state: 'RUNNING' | 'DONE' | 'FAILED';
  readonly events: number;
  readonly total: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly generation?: number;
  readonly error?: string;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A RUNNING rebuild that reported no progress for this long was abandoned (its instance stopped). */
const STALE_MS = 60_000;

/**
 * Rebuilds of the context's read models asked for through the API (issue 15, `rebuildProjection`):
 * one at a time per read model, in the background, from the log (a new generation, reads switched
 * once it has caught up: zero downtime, every instance follows the switch). Its progress is kept
 * in `projection_rebuilds`, so any instance answers for it.
 */
@Injectable()
export class ProjectionRebuilds {
  private readonly log = new Logger('ProjectionRebuilds');
  private readonly runs = new Map<string, RebuildStatus>();

  constructor(
    @Inject(CONTEXT) private readonly context: ContextSettings,
    @Inject(EVENT_STORE_CONNECTION) private readonly connection: Connection,
    private readonly runtime: ContextRuntime,
  ) {}

  names(): string[] {
    return (this.context.definition.projections ?? []).map((p) => p.name);
  }

  private collection() {
    return this.connection.db!.collection<RebuildStatus & { _id: string; updatedAt: Date }>('projection_rebuilds');
  }

  /** What this instance knows, then what the store says (a rebuild another instance runs or ran). */
  async status(name: string): Promise<RebuildStatus | undefined> {
    const mine = this.runs.get(name);
    if (mine) return mine;
    const doc = await this.collection().findOne({ _id: name });
    if (!doc) return undefined;
    const { _id, updatedAt, ...status } = doc;
    // A rebuild whose instance stopped reporting (it died) is not running anymore.
    if (status.state === 'RUNNING' && Date.now() - updatedAt.getTime() > STALE_MS)
      return { ...status, state: 'FAILED', error: `abandoned: no progress reported since ${updatedAt.toISOString()}` };
    return status;
  }

  /** Kept here and in `projection_rebuilds` (progress at most once a second), so every instance answers. */
  private lastWritten = new Map<string, number>();
  private record(name: string, status: RebuildStatus, force = false): void {
    this.runs.set(name, status);
    const now = Date.now();
    if (!force && now - (this.lastWritten.get(name) ?? 0) < 1000) return;
    this.lastWritten.set(name, now);
    void this.collection()
      .updateOne({ _id: name }, { $set: { ...status, updatedAt: new Date(now) } }, { upsert: true })
      .catch((e: unknown) => this.log.warn(`${name}: rebuild status not recorded: ${message(e)}`));
  }

  /** Starts a rebuild (or answers the one running, here or in another instance). */
  async start(name: string, by: string): Promise<RebuildStatus> {
    const projection = (this.context.definition.projections ?? []).find((p) => p.name === name);
    if (!projection) throw new HttpException(`${this.context.definition.name} has no read model named ${name}`, HttpStatus.NOT_FOUND);
    const running = await this.status(name);
    if (running?.state === 'RUNNING') return running;
    this.runs.delete(name);
    const base = { context: this.context.definition.name, projection: name, startedAt: new Date().toISOString() };
    this.record(name, { ...base, state: 'RUNNING', events: 0, total: 0 }, true);
    this.log.log(`${name}: rebuild asked by ${by}`);
    void replayProjection(
      {
        context: this.context.definition,
        projection,
        db: this.connection.db!,
        bus: this.runtime.bus,
        topicPrefix: this.context.config.KAFKA_TOPIC_PREFIX,
      },
      { onProgress: (events, total) => this.record(name, { ...base, state: 'RUNNING', events, total }) },
    ).then(
      (r) => {
        this.record(
          name,
          {
            ...base,
            state: 'DONE',
            events: r.events,
            total: r.events,
            finishedAt: new Date().toISOString(),
            generation: r.generation?.next,
          },
          true,
        );
        this.log.log(`${name}: rebuilt (${r.events} events, ${r.documents} documents, generation ${r.generation?.next}, ${r.ms} ms)`);
      },
      (e: unknown) => {
        const prev = this.runs.get(name);
        this.record(
          name,
          {
            ...base,
            state: 'FAILED',
            events: prev?.events ?? 0,
            total: prev?.total ?? 0,
            finishedAt: new Date().toISOString(),
            error: message(e),
          },
          true,
        );
        this.log.error(`${name}: rebuild failed: ${message(e)}`);
      },
    );
    return this.runs.get(name)!;
  }
}

/** Who rebuilds read models: the admin. */
const REBUILDERS = ['admin'];

/** `GET /admin/projections`, `POST /admin/projections/:name/rebuild`, `GET /admin/projections/:name/rebuild` (admin). */
@Controller('admin/projections')
export class ProjectionRebuildsController {
  constructor(private readonly rebuilds: ProjectionRebuilds) {}

  private allow(p: Principal): void {
    if (!p.roles.some((r) => REBUILDERS.includes(r))) throw new HttpException('read models are rebuilt by the admin', HttpStatus.FORBIDDEN);
  }

  @Get()
  list(@CurrentPrincipal() p: Principal) {
    this.allow(p);
    return { projections: this.rebuilds.names() };
  }

  @Post(':name/rebuild')
  rebuild(@Param('name') name: string, @CurrentPrincipal() p: Principal): Promise<RebuildStatus> {
    this.allow(p);
    return this.rebuilds.start(String(name), p.username);
  }

  @Get(':name/rebuild')
  async status(@Param('name') name: string, @CurrentPrincipal() p: Principal): Promise<RebuildStatus> {
    this.allow(p);
    const s = await this.rebuilds.status(String(name));
    if (!s) throw new HttpException(`no rebuild of ${name} was asked of this instance`, HttpStatus.NOT_FOUND);
    return s;
  }
}
