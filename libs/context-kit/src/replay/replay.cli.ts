#!/usr/bin/env node
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { loadConfig, str } from '@hrp/config';
import { KafkaJsBus } from '@hrp/messaging';
import type { ContextDefinition } from '../definition';
import { progress } from './progress';
import { DIFF_DETAIL, isEqual, replayMode, replayProjection, type ReplayReport } from './replay';

/*
 * Rebuilds or checks a context's read models from the log: a thin adapter around replayProjection.
 *
 *   npm run replay -- <context> [--projection NAME]... [--until T] [--dry-run] [--verify]
 *        [--mongo-url URL] [--mongo-db DB] [--kafka-brokers H:P,…] [--topic-prefix P] [--progress-every MS]
 *
 * The store and the log: MONGO_URL, MONGO_DB (default hrp_<context>), KAFKA_BROKERS and
 * KAFKA_TOPIC_PREFIX, as the services read them; the flags override them. Exit code 0 when done
 * (verify: every replayed read model equals the live one), 1 on a difference or a failure, 2 on
 * a usage error. The definitions come from the built services (`npm run build` first).
 */

/** Where each context's definition is built (relative to the repository's root). */
export const CONTEXT_MODULES: Readonly<Record<string, string>> = {
  campaigns: 'services/campaigns/dist/campaigns.context.js',
  training: 'services/training/dist/training.context.js',
  partnerships: 'services/partnerships/dist/partnerships.context.js',
  advocacy: 'services/advocacy/dist/advocacy.context.js',
  finance: 'services/finance/dist/finance.context.js',
};

const USAGE = `usage: npm run replay -- <${Object.keys(CONTEXT_MODULES).join('|')}> [--projection NAME]... [--until ISO-INSTANT] [--dry-run] [--verify]
         [--mongo-url URL] [--mongo-db DB] [--kafka-brokers HOST:PORT,...] [--topic-prefix PREFIX] [--progress-every MS]
  (no flag)  rebuild into a new generation and switch reads to it (the services follow within 2 s)
  --dry-run  build a scratch copy and drop it; reads are not switched
  --verify   build a scratch copy, compare it with the live read model by checksum, print the differing documents (exit 1 on any); never switches
  --until T  the read model as of T (events with metadata.time <= T) into <name>__asof_<T>, kept unless --dry-run; never switches`;

class UsageError extends Error {}

/** The context's definition, from its built service. */
export function loadContext(name: string, root = path.resolve(__dirname, '..', '..', '..', '..')): ContextDefinition {
  const file = CONTEXT_MODULES[name];
  if (!file) throw new UsageError(`unknown context ${name}\n${USAGE}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(path.join(root, file)) as Record<string, unknown>;
  const definition = Object.values(exports).find(
    (v): v is ContextDefinition => typeof v === 'object' && v !== null && (v as ContextDefinition).name === name && 'registry' in v,
  );
  if (!definition) throw new Error(`${file} exports no definition of the context ${name}`);
  return definition;
}

function options(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      projection: { type: 'string', multiple: true },
      until: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      'mongo-url': { type: 'string' },
      'mongo-db': { type: 'string' },
      'kafka-brokers': { type: 'string' },
      'topic-prefix': { type: 'string' },
      'progress-every': { type: 'string', default: '3000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length !== 1) throw new UsageError(USAGE);
  let until: Date | undefined;
  if (values.until !== undefined) {
    until = new Date(values.until);
    if (!/^\d{4}-\d\d-\d\d/.test(values.until) || Number.isNaN(until.getTime()))
      throw new UsageError(`--until: an ISO 8601 instant, e.g. 2026-03-01T00:00:00Z (got ${values.until})`);
  }
  const everyMs = Number(values['progress-every']);
  if (!Number.isFinite(everyMs) || everyMs < 0) throw new UsageError('--progress-every: milliseconds');
  const o = { dryRun: values['dry-run'], verify: values.verify, ...(until ? { until } : {}) };
  try {
    replayMode(o);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (values['mongo-url']) env.MONGO_URL = values['mongo-url'];
  if (values['mongo-db']) env.MONGO_DB = values['mongo-db'];
  if (values['kafka-brokers']) env.KAFKA_BROKERS = values['kafka-brokers'];
  if (values['topic-prefix'] !== undefined) env.KAFKA_TOPIC_PREFIX = values['topic-prefix'];
  return { context: positionals[0], projections: values.projection ?? [], everyMs, env, ...o };
}

/** What a replay printed: one summary line, then the differences (ids and field names only: no values, no personal data). */
export function formatReport(r: ReplayReport): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines: string[] = [];
  switch (r.mode) {
    case 'rebuild':
      lines.push(
        `${r.projection}: rebuilt generation ${r.generation!.previous} → ${r.generation!.next} from ${r.events} events, ${r.documents} documents in ${s(r.ms)}; reads switched`,
      );
      break;
    case 'dry-run':
      lines.push(
        `${r.projection}: replayed ${r.events} events into ${r.documents} documents in ${s(r.ms)} (dry run: scratch copy dropped)`,
      );
      break;
    case 'as-of':
      lines.push(
        `${r.projection}: ${r.documents} documents as of then from ${r.events} events in ${s(r.ms)}` +
          (r.collection ? `, kept in ${r.collection}` : ' (dry run: dropped)'),
      );
      break;
    case 'verify': {
      const c = r.comparison!;
      lines.push(
        `${r.projection}: ${isEqual(c) ? 'EQUAL' : 'DIFFERENT'} — live ${c.live} ${c.liveCount} documents, replayed ${c.replayedCount} from ${r.events} events in ${s(r.ms)}: ` +
          `${c.equal} equal, ${c.differing.length} differing, ${c.missing.length} missing from the live one, ${c.extra.length} extra in the live one`,
      );
      const more = (n: number) => (n > DIFF_DETAIL ? [`  … and ${n - DIFF_DETAIL} more`] : []);
      for (const d of c.differing.slice(0, DIFF_DETAIL)) lines.push(`  differing ${d.id}: ${d.fields.join(', ')}`);
      lines.push(...more(c.differing.length));
      for (const id of c.missing.slice(0, DIFF_DETAIL)) lines.push(`  missing ${id}`);
      lines.push(...more(c.missing.length));
      for (const id of c.extra.slice(0, DIFF_DETAIL)) lines.push(`  extra ${id}`);
      lines.push(...more(c.extra.length));
      break;
    }
  }
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines;
}

async function main(): Promise<number> {
  const o = options(process.argv.slice(2));
  const definition = loadContext(o.context);
  const all = definition.projections ?? [];
  const unknown = o.projections.filter((p) => !all.some((d) => d.name === p));
  if (unknown.length)
    throw new UsageError(`no projection ${unknown.join(', ')} in ${o.context} (it has ${all.map((p) => p.name).join(', ') || 'none'})`);
  const selected = o.projections.length ? all.filter((p) => o.projections.includes(p.name)) : all;
  const config = loadConfig({ MONGO_DB: str({ default: `hrp_${o.context}` }) }, o.env);
  const conn = await mongoose.createConnection(config.MONGO_URL, { dbName: config.MONGO_DB }).asPromise();
  const bus = new KafkaJsBus({ brokers: config.KAFKA_BROKERS, clientId: `hrp-replay-${o.context}` });
  const bar = progress({ stream: process.stdout, everyMs: o.everyMs });
  let failed = false;
  try {
    for (const projection of selected) {
      let started = false;
      const report = await replayProjection(
        { context: definition, projection, db: conn.db!, bus, topicPrefix: config.KAFKA_TOPIC_PREFIX },
        {
          dryRun: o.dryRun,
          verify: o.verify,
          ...(o.until ? { until: o.until } : {}),
          onProgress: (done, total) => {
            if (!started) bar.start(projection.name, total);
            started = true;
            bar.update(done, total);
          },
        },
      ).finally(() => bar.stop());
      for (const line of formatReport(report)) process.stdout.write(`${line}\n`);
      if (report.comparison && !isEqual(report.comparison)) failed = true;
    }
  } finally {
    await bus.close().catch(() => undefined);
    await conn.close().catch(() => undefined);
  }
  return failed ? 1 : 0;
}

if (require.main === module)
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
