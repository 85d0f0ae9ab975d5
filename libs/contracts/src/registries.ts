import type { EventRegistry } from './registry';

/**
 * Every context's event registry. A service adds its registry here when it defines its events
 * (e.g. `campaignsEvents` from `./campaigns/campaigns.events.contract`), which puts its schemas
 * under the schema-change guard (`schema-guard.unit.spec.ts`) and makes them readable by the
 * gateway's consumers.
 */
export function allRegistries(): readonly EventRegistry[] {
  return [];
}

/** The registry of `context`, if any. */
export function registryOf(context: string): EventRegistry | undefined {
  return allRegistries().find((r) => r.context === context);
}
