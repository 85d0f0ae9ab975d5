'use strict';
/**
 * The browser of the console's end-to-end tests: Debian's Chromium (no browser download from a
 * CDN; Playwright drives it through playwright-core). Installed with apt on a fresh machine, with
 * the Noto fonts so Arabic and Tifinagh render in screenshots. HRP_CHROMIUM names another binary.
 */
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const PACKAGES = ['chromium', 'fonts-noto-core'];

function chromiumPath() {
  return process.env.HRP_CHROMIUM || '/usr/bin/chromium';
}

function ensureChromium(log = (m) => process.stderr.write(`[browser] ${m}\n`)) {
  const bin = chromiumPath();
  if (fs.existsSync(bin)) return bin;
  if (process.env.HRP_CHROMIUM) throw new Error(`HRP_CHROMIUM=${bin}: no such file`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (args) => {
    const cmd = root ? 'apt-get' : 'sudo';
    const r = spawnSync(cmd, root ? args : ['-n', 'apt-get', ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status ?? r.signal}); install ${PACKAGES.join(' ')} by hand`);
  };
  const t = Date.now();
  log(`installing ${PACKAGES.join(', ')} from Debian (once per machine)…`);
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES]);
  if (!fs.existsSync(bin)) throw new Error(`apt installed chromium but ${bin} is missing`);
  log(`Chromium installed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return bin;
}

module.exports = { chromiumPath, ensureChromium };
