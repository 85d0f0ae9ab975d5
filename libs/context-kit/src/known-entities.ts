import type { StoredEvent } from '@hrp/contracts';
import type { ProjectionHandler } from '@hrp/messaging';
import type { ProjectionDefinition } from './definition';

/** Whether another context's entity may be referred to now. */
export type KnownEntityStatus = 'ACTIVE' | 'INACTIVE';

/** One entity of another context, as a context knows it: its id (the stream id there) and status. */
export interface KnownEntityDoc {
  _id: string;
  _version: number;
  _position: number;
  status: KnownEntityStatus;
  updatedAt: string;
}

/**
 * A context's local view of the entities another context owns (e.g. the partners campaigns may
 * name): one document per entity stream with its status, fed by that context's topic, so that a
 * reference is checked here without a call to the owner. Event types that are neither listed as
 * making the entity active nor inactive leave it untouched. Read it with `ReadModels.lookUp`.
 */
export function knownEntitiesView(opts: {
  /** e.g. `known_partners`. */
  readonly name: string;
  /** The owner context, e.g. `partnerships`. */
  readonly from: string;
  /** Event types after which the entity may be referred to, e.g. `PartnerRegistered`, `PartnerReactivated`. */
  readonly active: readonly string[];
  /** Event types after which it may not be anymore, e.g. `PartnerDeactivated`. */
  readonly inactive: readonly string[];
}): ProjectionDefinition {
  const status =
    (s: KnownEntityStatus): ProjectionHandler =>
    (e: StoredEvent) => ({ $set: { status: s, updatedAt: e.metadata.time } });
  return {
    name: opts.name,
    from: [opts.from],
    handlers: Object.fromEntries<ProjectionHandler>([
      ...opts.active.map((t): [string, ProjectionHandler] => [t, status('ACTIVE')]),
      ...opts.inactive.map((t): [string, ProjectionHandler] => [t, status('INACTIVE')]),
    ]),
  };
}
