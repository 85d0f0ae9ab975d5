import { type HealthCheck, HealthCheckError } from '@hrp/service-kit';
import type { SubgraphName } from './supergraph';

/** The subgraphs the supergraph routes to (its `join__Graph` enum). */
export function composedSubgraphs(supergraph: string): SubgraphName[] {
  return [...supergraph.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((m) => m[1] as SubgraphName);
}

/**
 * A subgraph's own /health, rolled up into the gateway's: the gateway is unhealthy when a service
 * it routes to is (a stopped consumer there is a wrong answer here).
 */
export class SubgraphHealth implements HealthCheck {
  readonly name: string;
  private readonly url: string;

  constructor(subgraph: string, graphqlUrl: string) {
    this.name = `subgraph:${subgraph}`;
    this.url = new URL('/health', graphqlUrl).toString();
  }

  async check(): Promise<Record<string, unknown>> {
    const res = await fetch(this.url, { signal: AbortSignal.timeout(3000) });
    const body = (await res.json().catch(() => ({}))) as { status?: string; checks?: Record<string, { status: string; reason?: string }> };
    const down = Object.entries(body.checks ?? {}).filter(([, c]) => c.status !== 'up');
    if (res.status !== 200)
      throw new HealthCheckError(
        `answered ${res.status}${down.length ? `: ${down.map(([n, c]) => `${n} ${c.reason ?? 'down'}`).join('; ')}` : ''}`,
        {
          status: body.status ?? 'unknown',
        },
      );
    return { status: body.status ?? 'ok' };
  }
}
