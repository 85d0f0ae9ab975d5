#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { parseUprCsv } from './upr.csv';
import type { UprImportOutcome } from './upr.import-client';
import { DEFAULT_BATCH_SIZE, IMPORT_UPR_MUTATION, exitCodeOf, formatOutcome, formatRowError, importInBatches } from './upr.import-client';
import type { UprImportReport, UprImportRowError, UprRowInput } from './upr.rows';

/*
 * Imports a UPR recommendations CSV (the UN database's export layout, see upr.csv.ts) through the
 * gateway: a thin adapter around parseUprCsv and importInBatches.
 *
 *   node services/advocacy/dist/upr/import-upr.cli.js <file.csv> [--gateway URL] [--token T | --user U [--password P]]
 *        [--batch-size N] [--dry-run]
 *
 * The token: --token, else HRP_TOKEN, else a password grant of --user (default advocacy-officer)
 * with --password or HRP_PASSWORD at KEYCLOAK_URL (default http://127.0.0.1:8080), realm
 * KEYCLOAK_REALM (default hrp), client hrp-web. Exit code 0 when every row was imported or found
 * unchanged, 1 when a row was refused or not sent, 2 on a usage error.
 */

const USAGE = `usage: import-upr <file.csv> [--gateway http://127.0.0.1:4000/graphql] [--token TOKEN | --user advocacy-officer [--password P]]
                  [--batch-size ${DEFAULT_BATCH_SIZE}] [--dry-run]`;

interface Options {
  readonly file: string;
  readonly gateway: string;
  readonly token?: string;
  readonly user: string;
  readonly password?: string;
  readonly keycloakUrl: string;
  readonly realm: string;
  readonly batchSize: number;
  readonly dryRun: boolean;
}

/** The command line and the environment, read once. */
function options(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      gateway: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
      token: { type: 'string' },
      user: { type: 'string', default: 'advocacy-officer' },
      password: { type: 'string' },
      'batch-size': { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length !== 1) throw new UsageError(USAGE);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500) throw new UsageError('--batch-size must be 1 to 500');
  const token = values.token ?? env.HRP_TOKEN;
  const password = values.password ?? env.HRP_PASSWORD;
  return {
    file: positionals[0],
    gateway: values.gateway,
    ...(token ? { token } : {}),
    user: values.user,
    ...(password ? { password } : {}),
    keycloakUrl: env.KEYCLOAK_URL ?? 'http://127.0.0.1:8080',
    realm: env.KEYCLOAK_REALM ?? 'hrp',
    batchSize,
    dryRun: values['dry-run'],
  };
}

class UsageError extends Error {}

async function tokenOf(o: Options): Promise<string> {
  if (o.token) return o.token;
  if (!o.password) throw new UsageError('no token: pass --token or set HRP_TOKEN, or give --password (or HRP_PASSWORD) for --user');
  const res = await fetch(`${o.keycloakUrl}/realms/${o.realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'hrp-web', username: o.user, password: o.password, scope: 'openid' }),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token)
    throw new Error(`Keycloak refused ${o.user} (${res.status}): ${body.error ?? ''} ${body.error_description ?? ''}`.trim());
  return body.access_token;
}

/** One `importUprRecommendations` request; a GraphQL or HTTP error throws (the run stops there). */
function sender(gateway: string, token: string) {
  return async (rows: UprRowInput[]): Promise<UprImportReport> => {
    const res = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: IMPORT_UPR_MUTATION, variables: { rows } }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      data?: { importUprRecommendations?: UprImportReport | null } | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const report = body.data?.importUprRecommendations;
    if (!res.ok || body.errors?.length || !report) {
      const e = body.errors?.[0];
      throw new Error(e ? `${e.extensions?.code ?? 'ERROR'}: ${e.message}` : `the gateway answered ${res.status}`);
    }
    return {
      ...report,
      errors: report.errors.map((x): UprImportRowError => ({
        line: x.line,
        message: x.message,
        ...(x.column != null ? { column: x.column } : {}),
      })),
    };
  };
}

async function main(): Promise<number> {
  const o = options(process.argv.slice(2), process.env);
  const parsed = parseUprCsv(readFileSync(o.file));
  for (const e of parsed.errors) process.stderr.write(`${o.file}: ${formatRowError(e)}\n`);
  process.stdout.write(
    `${o.file}: ${parsed.records} row(s), ${parsed.rows.length} valid, ${new Set(parsed.errors.map((e) => e.line)).size} refused` +
      (parsed.duplicates.length > 0 ? `, ${parsed.duplicates.length} duplicate(s) skipped (lines ${parsed.duplicates.join(', ')})` : '') +
      '\n',
  );
  if (o.dryRun || parsed.rows.length === 0) {
    const outcome: UprImportOutcome = {
      created: 0,
      revised: 0,
      unchanged: 0,
      errors: parsed.errors,
      duplicates: parsed.duplicates.length,
      notSent: 0,
    };
    if (!o.dryRun) process.stdout.write(`${formatOutcome(outcome)}\n`);
    return exitCodeOf(outcome);
  }

  const token = await tokenOf(o);
  const bar = new SingleBar(
    { format: 'importing [{bar}] {value}/{total} rows | created {created} revised {revised} unchanged {unchanged}', hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(parsed.rows.length, 0, { created: 0, revised: 0, unchanged: 0 });
  let outcome: UprImportOutcome;
  try {
    outcome = await importInBatches(parsed.rows, sender(o.gateway, token), {
      batchSize: o.batchSize,
      parseErrors: parsed.errors,
      duplicates: parsed.duplicates.length,
      onProgress: (done, _total, r) => bar.update(done, { created: r.created, revised: r.revised, unchanged: r.unchanged }),
    });
  } finally {
    bar.stop();
  }
  // The server's refusals (the parser's were printed above); the totals count both.
  const printed = new Set(parsed.errors);
  for (const e of outcome.errors) if (!printed.has(e)) process.stderr.write(`${o.file}: ${formatRowError(e)}\n`);
  process.stdout.write(`${formatOutcome(outcome)}\n`);
  return exitCodeOf(outcome);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
