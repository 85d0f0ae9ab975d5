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

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  const m = /^@hrp\/([^/]+)$/.exec(request);
  if (m) request = path.join(ROOT, 'libs', m[1], 'src', 'index.ts');
  return originalResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function compile(module, filename) {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    swcrc: false,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
