/**
 * bench:web — the web console's production build size, and the dashboard's time to interactive
 * against the local stack (issue 16), in Debian's Chromium driven by playwright-core.
 *
 *   npm run bench:web        (needs `npm run build` — npm start/test do it — and the infra; starts its own gateway)
 *   env: BENCH_ROUNDS (10)
 *
 * Size: every file of web/dist, raw and gzip (level 9, what a server would send).
 * Time to interactive: a signed-in director opens /console/ (a returning user: the page loads,
 * keycloak-js comes back from Keycloak with a code through the SSO cookie, exchanges it, reads
 * the year's indicators) until the indicator table is shown and the year field takes input.
 * Baseline in the same run and browser: loading a blank page from the same gateway.
 * Budgets (bench/README.md): JS ≤ 450 kB gzip, CSS ≤ 50 kB gzip, dashboard p50 ≤ 1,000 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { infraServers, startApp, type RunningApp } from '@hrp/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('../../infra/lib/browser.js') as { ensureChromium: () => string };

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const DIST = path.join(__dirname, '..', '..', 'web', 'dist');
const PORT = 15900; // an origin the dev realm's hrp-web client allows

function sizes() {
  const out = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 }, other: { raw: 0, gzip: 0 } };
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, f.name);
      if (f.isDirectory()) walk(p);
      else {
        const body = fs.readFileSync(p);
        const kind = p.endsWith('.js') ? out.js : p.endsWith('.css') ? out.css : out.other;
        kind.raw += body.length;
        kind.gzip += gzipSync(body, { level: 9 }).length;
      }
    }
  };
  walk(DIST);
  const kb = (n: number) => +(n / 1024).toFixed(1);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { rawKB: kb(v.raw), gzipKB: kb(v.gzip) }]));
}

const pct = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(0);
  return { p50: at(0.5), p90: at(0.9) };
};

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(DIST, 'index.html')))
    throw new Error('web/dist is missing: run `npm run build:web` (npm start and npm test build it)');
  const size = sizes();
  await infraServers.up({ instance: 'main' });
  const executablePath = ensureChromium();
  let gateway: RunningApp | undefined;
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    gateway = await startApp('gateway', 'gateway', PORT, {
      GATEWAY_DB: 'bench_web_gateway',
      KAFKA_TOPIC_PREFIX: 'bench-web.',
      HEALTH_SUBGRAPHS: 'none',
    });
    const base = `http://localhost:${PORT}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // Sign in once (not timed): Keycloak's session cookie makes the later loads returning visits.
    await page.goto(`${base}/console/`);
    await page.locator('#username').fill('director');
    await page.locator('#password').fill('hrp-dev-password');
    await page.locator('#kc-login').click();
    await page.getByTestId('indicators').waitFor({ timeout: 60_000 });

    const blank: number[] = [];
    const dashboard: number[] = [];
    for (let r = 0; r < ROUNDS + 1; r++) {
      let t = performance.now();
      await page.goto(`${base}/health`, { waitUntil: 'load' });
      const b = performance.now() - t;
      t = performance.now();
      await page.goto(`${base}/console/`);
      await page.getByTestId('indicators').locator('tr[data-code="AWR-01"]').waitFor({ timeout: 30_000 });
      await page.getByLabel('Année').fill(String(new Date().getUTCFullYear()));
      const d = performance.now() - t;
      if (r > 0) {
        blank.push(b);
        dashboard.push(d);
      }
    }
    const baseline = pct(blank);
    const tti = pct(dashboard);
    console.log(
      JSON.stringify({
        bench: 'web',
        rounds: ROUNDS,
        size,
        baseline: { what: 'a blank page (/health) from the same gateway, ms', ...baseline },
        dashboardTimeToInteractive: { ...tti, ratio: +(tti.p50 / Math.max(1, baseline.p50)).toFixed(1) },
        budgets: { jsGzipKB: 450, cssGzipKB: 50, dashboardP50Ms: 1000 },
        withinBudget: size.js.gzipKB <= 450 && size.css.gzipKB <= 50 && tti.p50 <= 1000,
      }),
    );
  } finally {
    await browser.close();
    await gateway?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
