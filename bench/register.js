'use strict';
/**
 * Require hook: lets Node run the TypeScript benches directly
 * (`node -r ./bench/register.js bench/core/relay.bench.ts`). Compiles each .ts file with
 * @swc/core (decorators + decorator metadata, CommonJS) and maps `@hrp/<lib>` to
 * libs/<lib>/src/index.ts, as Jest's moduleNameMapper does.
 */
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const ROOT = path.resolve(__dirname, '..');
// The one SWC configuration of the repo (the build and Jest read it too).
const { $schema: _schema, ...SWCRC } = JSON.parse(require('node:fs').readFileSync(path.join(ROOT, '.swcrc'), 'utf8'));

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  const m = /^@hrp\/([^/]+)$/.exec(request);
  if (m) request = path.join(ROOT, 'libs', m[1], 'src', 'index.ts');
  return originalResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function compile(module, filename) {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...SWCRC, filename, swcrc: false, sourceMaps: 'inline' });
  module._compile(code, filename);
};
