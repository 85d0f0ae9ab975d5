/**
 * `npm run audit:verify -- [--stream <id>] [--migrate] [--anchor] [--by <name>] [--mongo-url <url>] [--db <name>]…`
 *
 * Verifies the hash chains (and, without --stream, the global order and its anchors) of each
 * context's event store: every `hrp_<context>` database unless --db names some. Prints one line
 * per database; exits 1 when any is tampered with or not chained yet, 2 on a usage error.
 * --migrate first chains the commits written before the chain existed (recorded, once);
 * --anchor seals the global order after a verification that passed.
 */
import mongoose from 'mongoose';
import { AuditTrail, type AuditReport } from '../audit';
import { EventStore } from '../event-store';

const CONTEXTS = ['campaigns', 'training', 'partnerships', 'advocacy', 'finance'];

interface Args {
  mongoUrl: string;
  dbs: string[];
  stream?: string;
  migrate: boolean;
  anchor: boolean;
  by: string;
}

/** The command line and the environment, read once (MONGO_URL, USER). */
function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Args {
  const args: Args = {
    mongoUrl: env.MONGO_URL || 'mongodb://127.0.0.1:27017',
    dbs: [],
    migrate: false,
    anchor: false,
    by: env.USER || 'cli',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--stream') args.stream = value();
    else if (flag === '--db') args.dbs.push(value());
    else if (flag === '--mongo-url') args.mongoUrl = value();
    else if (flag === '--by') args.by = value();
    else if (flag === '--migrate') args.migrate = true;
    else if (flag === '--anchor') args.anchor = true;
    else throw new Error(`unknown option ${flag}`);
  }
  if (args.dbs.length === 0) args.dbs = CONTEXTS.map((c) => `hrp_${c}`);
  return args;
}

function describe(db: string, r: AuditReport): string {
  const head = `${db}: ${r.streams} streams, ${r.commits} commits`;
  const migrated = r.migrations.length
    ? `; ${r.migratedCommits} chained by migration on ${r.migrations.map((m) => m.at.toISOString()).join(', ')}`
    : '';
  const anchored = r.anchors ? `; ${r.anchors} anchors up to position ${r.anchoredTo} (last ${r.lastAnchorHash?.slice(0, 16)}…)` : '';
  if (r.ok) return `${head}: ok${migrated}${anchored}`;
  const b = r.firstBad;
  const where = b
    ? `${b.reason} at position ${b.position}${b.streamId ? ` (stream ${b.streamId}, version ${b.version})` : ''}: ${b.detail}`
    : 'not ok';
  return `${head}: FIRST BAD ${where}${migrated}${anchored}`;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    console.error(`audit:verify: ${(e as Error).message}`);
    return 2;
  }
  let bad = 0;
  for (const db of args.dbs) {
    const connection = await mongoose
      .createConnection(args.mongoUrl, { dbName: db, appName: 'hrp-audit-verify', autoIndex: false })
      .asPromise();
    try {
      // anchorEvery 0: this process appends nothing, and anchors only when asked to.
      const trail = new AuditTrail(new EventStore(connection, { anchorEvery: 0 }));
      if (args.migrate) {
        const m = await trail.migrateChain(args.by);
        console.log(`${db}: chain migration: ${m.commits} commits in ${m.streams} streams${m.migration ? ` (${m.migration.id})` : ''}`);
      }
      const report = args.stream ? await trail.verifyStream(args.stream) : await trail.verifyAll();
      console.log(describe(args.stream ? `${db} ${args.stream}` : db, report));
      if (!report.ok) bad++;
      else if (args.anchor && !args.stream) {
        const a = await trail.anchor();
        console.log(
          `${db}: ${a ? `anchor ${a.seq} seals positions ${a.fromPosition}..${a.position}: ${a.hash}` : 'nothing new to anchor'}`,
        );
      }
    } finally {
      await connection.close();
    }
  }
  return bad > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('audit:verify failed:', e);
    process.exit(2);
  },
);
