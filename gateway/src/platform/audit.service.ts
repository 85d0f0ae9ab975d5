import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import mongoose from 'mongoose';
import { AuditTrail, EventStore, type AuditReport, type BadPosition } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import { config, contextDatabase, CONTEXTS, type ContextName } from '../config';

/** Which context's log holds a stream: by the prefix of its id (every context's ids are prefixed). */
const STREAM_PREFIXES: readonly (readonly [string, ContextName])[] = [
  ['campaign-', 'campaigns'],
  ['module-', 'training'],
  ['session-', 'training'],
  ['partner-', 'partnerships'],
  ['agreement-', 'partnerships'],
  ['dossier-', 'advocacy'],
  ['upr-', 'advocacy'],
  ['budget-', 'finance'],
  ['commitment-', 'finance'],
];

export function contextOfStream(streamId: string): ContextName | undefined {
  return STREAM_PREFIXES.find(([prefix]) => streamId.startsWith(prefix))?.[1];
}

const badPosition = (b: BadPosition | undefined) =>
  b ? { reason: b.reason, position: b.position, streamId: b.streamId ?? null, version: b.version ?? null, detail: b.detail } : null;

/**
 * The audit's reads of the contexts' logs: the gateway opens each context's database (read only:
 * it never appends) and verifies its hash chain with libs/event-store's AuditTrail.
 */
@Injectable()
export class AuditService implements OnModuleDestroy {
  private readonly connections = new Map<ContextName, Promise<mongoose.Connection>>();

  private store(context: ContextName): Promise<EventStore> {
    let conn = this.connections.get(context);
    if (!conn) {
      conn = mongoose
        .createConnection(config.MONGO_URL, { dbName: contextDatabase(context), serverSelectionTimeoutMS: 5000, maxPoolSize: 4 })
        .asPromise();
      this.connections.set(context, conn);
      conn.catch(() => this.connections.delete(context));
    }
    return conn.then((c) => new EventStore(c));
  }

  /**
   * Where a context's log stands: its head (the last position appended) and what its relay has
   * published to Kafka (the highest checkpoint of its lease documents).
   */
  async logPositions(context: ContextName): Promise<{ head: number; published: number }> {
    const store = await this.store(context);
    const leases = await store.connection.db!.collection<{ context: string; position: number }>('relay_leases').find({ context }).toArray();
    return { head: await store.headPosition(), published: leases.reduce((m, d) => Math.max(m, d.position ?? 0), 0) };
  }

  /** One stream, or every context's whole log. */
  async verify(streamId?: string | null) {
    if (streamId != null) {
      if (typeof streamId !== 'string' || streamId.length > 300)
        throw graphQLError('BAD_USER_INPUT', 'streamId is at most 300 characters', { field: 'streamId' });
      const context = contextOfStream(streamId);
      if (!context)
        throw graphQLError('BAD_USER_INPUT', `no context keeps streams named like ${JSON.stringify(streamId.slice(0, 40))}`, {
          field: 'streamId',
        });
      const report = await new AuditTrail(await this.store(context)).verifyStream(streamId);
      if (report.commits === 0) throw graphQLError('NOT_FOUND', `stream ${streamId} does not exist`);
      return this.result([[context, report]]);
    }
    const reports: [ContextName, AuditReport][] = [];
    for (const context of CONTEXTS) reports.push([context, await new AuditTrail(await this.store(context)).verifyAll()]);
    return this.result(reports);
  }

  private result(reports: [ContextName, AuditReport][]) {
    const firstBad = reports.find(([, r]) => r.firstBad)?.[1].firstBad;
    const sum = (f: (r: AuditReport) => number) => reports.reduce((n, [, r]) => n + f(r), 0);
    return {
      ok: reports.every(([, r]) => r.ok),
      streams: sum((r) => r.streams),
      commits: sum((r) => r.commits),
      migratedCommits: sum((r) => r.migratedCommits),
      anchors: sum((r) => r.anchors),
      anchoredTo: reports.length === 1 ? reports[0][1].anchoredTo : Math.min(...reports.map(([, r]) => r.anchoredTo)),
      lastAnchorHash: reports.length === 1 ? (reports[0][1].lastAnchorHash ?? null) : null,
      firstBad: badPosition(firstBad),
      contexts: reports.map(([context, r]) => ({
        context,
        ok: r.ok,
        streams: r.streams,
        commits: r.commits,
        firstBad: badPosition(r.firstBad),
      })),
    };
  }

  /**
   * A stream's state as of `at`, folded by its own context (`GET /audit/state/:id?at=`, which
   * checks the caller's token and role again): null when the stream had no event yet then.
   */
  async stateAsOf(streamId: string, at: string, authorization: string) {
    const context = typeof streamId === 'string' ? contextOfStream(streamId) : undefined;
    if (!context) throw graphQLError('BAD_USER_INPUT', 'no context keeps streams named like that', { field: 'streamId' });
    const url = new URL(`/audit/state/${encodeURIComponent(streamId)}`, config[`${context.toUpperCase() as Uppercase<ContextName>}_URL`]);
    url.searchParams.set('at', at);
    const r = await fetch(url, { headers: { authorization }, signal: AbortSignal.timeout(10_000) });
    if (r.status === 404) return null;
    const body = (await r.json().catch(() => ({}))) as { message?: string; state?: unknown };
    if (r.status === 403) throw graphQLError('FORBIDDEN', body.message ?? 'forbidden');
    if (r.status === 400) throw graphQLError('BAD_USER_INPUT', body.message ?? 'bad input');
    if (r.status === 401) throw graphQLError('UNAUTHENTICATED', 'not authenticated');
    if (r.status !== 200) throw new Error(`${context} answered ${r.status} for the state of ${streamId}`);
    return { ...body, state: JSON.stringify(body.state) };
  }

  /** The context and read model a rebuild names: `context.projection`, or a name one context only has. */
  private async projectionOf(name: string, authorization: string): Promise<{ context: ContextName; projection: string }> {
    if (typeof name !== 'string' || !/^[a-z_]+(\.[a-z_]+)?$/.test(name))
      throw graphQLError('BAD_USER_INPUT', 'name: context.projection, e.g. campaigns.campaign_view', { field: 'name' });
    const [first, second] = name.split('.');
    if (second !== undefined) {
      if (!(CONTEXTS as readonly string[]).includes(first))
        throw graphQLError('BAD_USER_INPUT', `no context named ${first}`, { field: 'name' });
      return { context: first as ContextName, projection: second };
    }
    const holders: ContextName[] = [];
    const silent: ContextName[] = [];
    for (const context of CONTEXTS) {
      const r: Record<string, unknown> = await this.callContext(context, 'GET', '/admin/projections', authorization).catch((e: unknown) => {
        if ((e as { extensions?: unknown }).extensions) throw e; // an answer: FORBIDDEN, …
        silent.push(context); // no answer (a context not deployed here, or down)
        return {};
      });
      if ((r.projections as string[] | undefined)?.includes(first)) holders.push(context);
    }
    if (holders.length === 0)
      throw graphQLError(
        'NOT_FOUND',
        `no context has a read model named ${first}${silent.length ? ` (${silent.join(', ')} did not answer)` : ''}`,
      );
    if (holders.length > 1)
      throw graphQLError('BAD_USER_INPUT', `${holders.join(' and ')} both have ${first}: name it as context.projection`, { field: 'name' });
    return { context: holders[0], projection: first };
  }

  private async callContext(
    context: ContextName,
    method: 'GET' | 'POST',
    path: string,
    authorization: string,
  ): Promise<Record<string, unknown>> {
    const url = new URL(path, config[`${context.toUpperCase() as Uppercase<ContextName>}_URL`]);
    const r = await fetch(url, { method, headers: { authorization }, signal: AbortSignal.timeout(10_000) });
    const body = (await r.json().catch(() => ({}))) as Record<string, unknown>;
    const reason = typeof body.message === 'string' ? body.message : `${context} answered ${r.status}`;
    if (r.status === 403) throw graphQLError('FORBIDDEN', reason);
    if (r.status === 404) throw graphQLError('NOT_FOUND', reason);
    if (r.status === 401) throw graphQLError('UNAUTHENTICATED', 'not authenticated');
    if (r.status >= 400) throw new Error(reason);
    return body;
  }

  private rebuildOf(context: ContextName, body: Record<string, unknown>) {
    return { ...body, name: `${context}.${String(body.projection)}`, context };
  }

  /** Starts the rebuild of a read model in its context (the context checks the admin role again). */
  async rebuild(name: string, authorization: string) {
    const { context, projection } = await this.projectionOf(name, authorization);
    return this.rebuildOf(context, await this.callContext(context, 'POST', `/admin/projections/${projection}/rebuild`, authorization));
  }

  /** The progress of the last rebuild asked of a read model (null when none was). */
  async rebuildStatus(name: string, authorization: string) {
    const { context, projection } = await this.projectionOf(name, authorization);
    try {
      return this.rebuildOf(context, await this.callContext(context, 'GET', `/admin/projections/${projection}/rebuild`, authorization));
    } catch (e) {
      if ((e as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  async onModuleDestroy(): Promise<void> {
    for (const c of this.connections.values()) await (await c.catch(() => null))?.close();
  }
}
