import type { DomainEvent } from '@hrp/domain-kit';
import type { HumanRightsTag, LocalizedText } from '@hrp/contracts';

/*
 * Training — modules (docs/domain.md, "Training"): the events of one training module stream, the
 * state they fold into, and read helpers over it. A module is the curriculum that sessions are
 * scheduled from: DRAFT -> PUBLISHED -> RETIRED, and only a published module gets sessions (the
 * session's adapter reads the module's state and hands it to the session decider). Event data is
 * plain JSON; optional fields are absent, never null or undefined.
 */

// ---------- vocabulary of the context (spelled as the GraphQL enums) ----------

/** Professions a module targets; a participant enrols with one of them. */
export const PROFESSIONS = [
  'CIVIL_SERVANT',
  'TEACHER',
  'HEALTH_PROFESSIONAL',
  'CIVIL_SOCIETY',
  'LAW_ENFORCEMENT',
  'JUDICIARY',
  'JOURNALIST',
  'LAWYER',
  'SOCIAL_WORKER',
  'OTHER',
] as const;
export type Profession = (typeof PROFESSIONS)[number];

export type TrainingModuleStatus = 'DRAFT' | 'PUBLISHED' | 'RETIRED';

/** Module ids are their stream ids: `module-<uuid>`. */
export const MODULE_ID_PREFIX = 'module-';

/** The stream id of a module from a fresh uuid (or any id suffix). */
export function moduleStreamId(uuid: string): string {
  return `${MODULE_ID_PREFIX}${uuid}`;
}

// ---------- events ----------

export type TrainingModuleCreated = DomainEvent<
  'TrainingModuleCreated',
  {
    readonly moduleId: string;
    readonly title: LocalizedText;
    /** At least one, distinct. */
    readonly professions: readonly Profession[];
    /** Instruments covered, as free references (e.g. `ICCPR`, `CRC`, `Constitution 2011`), distinct. */
    readonly instruments: readonly string[];
    /** Learning objectives. */
    readonly objectives?: LocalizedText;
    /** Duration in whole hours, 1 … 1000. */
    readonly hours: number;
    readonly tags: readonly HumanRightsTag[];
  }
>;

export type TrainingModulePublished = DomainEvent<'TrainingModulePublished', { readonly moduleId: string }>;

export type TrainingModuleRetired = DomainEvent<'TrainingModuleRetired', { readonly moduleId: string }>;

export type TrainingModuleEvent = TrainingModuleCreated | TrainingModulePublished | TrainingModuleRetired;

export type TrainingModuleEventType = TrainingModuleEvent['type'];

/** Every event type of the stream, in lifecycle order (the registry registers exactly these). */
export const MODULE_EVENT_TYPES = [
  'TrainingModuleCreated',
  'TrainingModulePublished',
  'TrainingModuleRetired',
] as const satisfies readonly TrainingModuleEventType[];

// ---------- state ----------

/** A module that exists. JSON-safe, so that it can be snapshotted. */
export interface TrainingModule {
  readonly status: TrainingModuleStatus;
  readonly id: string;
  readonly title: LocalizedText;
  readonly professions: readonly Profession[];
  readonly instruments: readonly string[];
  readonly objectives?: LocalizedText;
  readonly hours: number;
  readonly tags: readonly HumanRightsTag[];
}

/** The state of a stream with no event yet. */
export interface NoTrainingModule {
  readonly status: 'NOT_CREATED';
}

export type TrainingModuleState = NoTrainingModule | TrainingModule;

/** Bump when `evolve` or the state's shape changes (stale snapshots are then rebuilt). */
export const MODULE_STATE_SCHEMA_VERSION = 1;

export function initialState(): TrainingModuleState {
  return { status: 'NOT_CREATED' };
}

export function evolve(state: TrainingModuleState, event: TrainingModuleEvent): TrainingModuleState {
  if (event.type === 'TrainingModuleCreated') {
    const { moduleId, ...fields } = event.data;
    return { status: 'DRAFT', id: moduleId, ...fields };
  }
  // Any other event on an empty stream is a broken history: ignore it rather than invent a module.
  if (!exists(state)) return state;
  switch (event.type) {
    case 'TrainingModulePublished':
      return { ...state, status: 'PUBLISHED' };
    case 'TrainingModuleRetired':
      return { ...state, status: 'RETIRED' };
    default: {
      // Exhaustive at compile time; an unknown type at run time leaves the state as it is.
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
}

// ---------- read helpers over the state ----------

/** Whether the module was created. */
export function exists(state: TrainingModuleState): state is TrainingModule {
  return state.status !== 'NOT_CREATED';
}

/** Whether sessions may be scheduled from the module. */
export function isPublished(state: TrainingModuleState): state is TrainingModule {
  return state.status === 'PUBLISHED';
}
