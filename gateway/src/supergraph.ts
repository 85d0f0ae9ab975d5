import * as fs from 'node:fs';
import * as path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** The subgraphs the gateway federates, by name, with the env var that holds each URL. */
export const SUBGRAPHS = [
  { name: 'campaigns', urlVar: 'CAMPAIGNS_URL' },
  { name: 'training', urlVar: 'TRAINING_URL' },
  { name: 'partnerships', urlVar: 'PARTNERSHIPS_URL' },
  { name: 'advocacy', urlVar: 'ADVOCACY_URL' },
  { name: 'finance', urlVar: 'FINANCE_URL' },
  // The gateway's own subgraph (audit; reporting and admin to come), served by the gateway process.
  { name: 'gateway', urlVar: 'GATEWAY_SUBGRAPH_URL' },
] as const;

/** Where a subgraph's SDL lives: services/<name>/src, the gateway's in gateway/src/platform. */
function sdlDirOf(root: string, name: string): string {
  return name === 'gateway' ? path.join(root, 'gateway', 'src', 'platform') : path.join(root, 'services', name, 'src');
}
export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export interface SubgraphSource {
  name: string;
  url: string;
  typeDefs: string;
}

function sdlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.graphql'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Reads each subgraph's SDL from its source folder (services/<name>/src/**\/*.graphql, the
 * gateway's gateway/src/platform, after the shared SDL of libs/graphql-kit). A service without
 * SDL files is not a subgraph yet.
 */
export function readSubgraphs(root: string, urls: Partial<Record<SubgraphName, string>> = {}): SubgraphSource[] {
  const shared = fs.readFileSync(path.join(root, 'libs/graphql-kit/src/shared.graphql'), 'utf8');
  return SUBGRAPHS.flatMap(({ name }) => {
    const files = sdlFiles(sdlDirOf(root, name));
    if (files.length === 0) return [];
    const typeDefs = [shared, ...files.map((f) => fs.readFileSync(f, 'utf8'))].join('\n');
    return [{ name, url: urls[name] ?? `http://127.0.0.1:${4001 + SUBGRAPHS.findIndex((s) => s.name === name)}/graphql`, typeDefs }];
  });
}

/** Composes the supergraph (Federation 2) or throws with every composition error. */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.typeDefs) })));
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
