import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PROBE_DIR = '__boundary_probe__';

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

/**
 * Writes probe files into real projects, lints them with the repo's own ESLint config (a child
 * process, as a developer or CI would run it), and removes them.
 */
function lintProbes(probes: Record<string, string>): Map<string, LintResult['messages']> {
  const written: string[] = [];
  try {
    for (const [rel, code] of Object.entries(probes)) {
      const file = path.join(ROOT, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, code);
      written.push(file);
    }
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...Object.keys(probes)],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false' },
      },
    );
    const results = JSON.parse(r.stdout) as LintResult[];
    return new Map(results.map((x) => [path.relative(ROOT, x.filePath), x.messages]));
  } finally {
    for (const f of written) fs.rmSync(path.dirname(f), { recursive: true, force: true });
  }
}

const boundaryErrors = (messages: LintResult['messages'] | undefined) =>
  (messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-imports');

describe('architecture boundaries (Nx tags, ESLint)', () => {
  let results: Map<string, LintResult['messages']>;

  beforeAll(() => {
    // The Nx rule reads the cached project graph; compute it the way `nx` would.
    execFileSync(path.join(ROOT, 'node_modules/.bin/nx'), ['show', 'projects'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
    results = lintProbes({
      [`services/campaigns/src/${PROBE_DIR}/relative.ts`]:
        "import { config } from '../../../training/src/config';\nexport const leaked = config;\n",
      [`services/campaigns/src/${PROBE_DIR}/by-name.ts`]:
        "import { config } from '@hrp/service-finance/src/config';\nexport const leaked = config;\n",
      [`services/campaigns/src/${PROBE_DIR}/allowed.ts`]: "import { loadConfig } from '@hrp/config';\nexport const ok = loadConfig;\n",
      [`libs/domain-kit/src/${PROBE_DIR}/framework.ts`]:
        "import { Injectable } from '@nestjs/common';\nexport const leaked = Injectable;\n",
      [`services/campaigns/src/${PROBE_DIR}/probe.decider.ts`]: "import mongoose from 'mongoose';\nexport const leaked = mongoose;\n",
    });
  }, 120000);

  describe('an import from one service into another', () => {
    it('fails lint when made by relative path', () => {
      expect(boundaryErrors(results.get(`services/campaigns/src/${PROBE_DIR}/relative.ts`))).not.toHaveLength(0);
    });

    it('fails lint when made by package name', () => {
      expect(boundaryErrors(results.get(`services/campaigns/src/${PROBE_DIR}/by-name.ts`))).not.toHaveLength(0);
    });
  });

  describe('an import of a shared library by a service', () => {
    it('passes', () => {
      expect(boundaryErrors(results.get(`services/campaigns/src/${PROBE_DIR}/allowed.ts`))).toHaveLength(0);
    });
  });

  describe('domain code', () => {
    it('may not import a framework package (domain-kit)', () => {
      expect(boundaryErrors(results.get(`libs/domain-kit/src/${PROBE_DIR}/framework.ts`))).not.toHaveLength(0);
    });

    it('may not import a framework package (a decider inside a service)', () => {
      expect(boundaryErrors(results.get(`services/campaigns/src/${PROBE_DIR}/probe.decider.ts`))).not.toHaveLength(0);
    });
  });
});
