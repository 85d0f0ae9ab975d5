/**
 * Build step: composes the supergraph ahead of time from the subgraphs' SDL and writes it beside
 * the compiled gateway (dist/supergraph.graphql). Exits non-zero on any composition error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { composeSupergraph, readSubgraphs } from './supergraph';

const root = path.resolve(__dirname, '..', '..');
const out = process.argv[2] ?? path.join(__dirname, 'supergraph.graphql');
try {
  const subgraphs = readSubgraphs(root);
  const sdl = composeSupergraph(subgraphs);
  fs.writeFileSync(out, sdl);
  console.log(`supergraph composed from ${subgraphs.map((s) => s.name).join(', ') || 'no subgraph'} → ${path.relative(root, out)}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
