import type { Command, Decider } from '@hrp/domain-kit';
import { IllegalStateError, NotFoundError, ValidationError, assertNever } from '@hrp/domain-kit';
import type { HumanRightsTag, LocalizedText } from '@hrp/contracts';
import { isHumanRightsTag, validateLocalizedText } from '@hrp/contracts';
import type { Profession, TrainingModule, TrainingModuleEvent, TrainingModuleState } from './module.events';
import { MODULE_ID_PREFIX, MODULE_STATE_SCHEMA_VERSION, PROFESSIONS, evolve, exists, initialState } from './module.events';

/** Stable ids of the business rules, carried by `IllegalStateError.rule` (GraphQL `extensions.rule`). */
export const ModuleRules = {
  createAlreadyExists: 'training.module.create.already-exists',
  /** Publishing a published module is a no-op; a retired one is never published again. */
  publishRequiresDraft: 'training.module.publish.requires-draft',
  /** Retiring a retired module is a no-op; a draft is never retired (nothing was offered). */
  retireRequiresPublished: 'training.module.retire.requires-published',
} as const;
export type ModuleRule = (typeof ModuleRules)[keyof typeof ModuleRules];

/** Limits of the inputs (characters are Unicode code points). */
export const ModuleLimits = {
  titleMaxLength: 300,
  objectivesMaxLength: 2000,
  maxInstruments: 30,
  instrumentMaxLength: 100,
  minHours: 1,
  maxHours: 1000,
  maxTags: 50,
  idMaxLength: 200,
} as const;

// ---------- commands (one per GraphQL mutation) ----------

/** `LocalizedTextInput` as GraphQL hands it over (null translations are dropped). */
export interface LocalizedTextInput {
  readonly fr: string;
  readonly ar?: string | null;
  readonly en?: string | null;
  readonly zgh?: string | null;
}

/** Optional inputs accept null as absent, as GraphQL sends them. */
export type CreateTrainingModule = Command<
  'CreateTrainingModule',
  {
    /** The stream id, `module-<uuid>` (see `moduleStreamId`). */
    readonly moduleId: string;
    readonly title: LocalizedTextInput;
    readonly professions: readonly Profession[];
    readonly instruments: readonly string[];
    readonly objectives?: LocalizedTextInput | null;
    readonly hours: number;
    readonly tags?: readonly HumanRightsTag[] | null;
  }
>;

export type PublishTrainingModule = Command<'PublishTrainingModule', { readonly moduleId: string }>;
export type RetireTrainingModule = Command<'RetireTrainingModule', { readonly moduleId: string }>;

export type TrainingModuleCommand = CreateTrainingModule | PublishTrainingModule | RetireTrainingModule;

// ---------- decide ----------

export function decide(command: TrainingModuleCommand, state: TrainingModuleState): TrainingModuleEvent[] {
  switch (command.type) {
    case 'CreateTrainingModule':
      return create(command, state);
    case 'PublishTrainingModule':
      return publish(existing(state, command.data.moduleId));
    case 'RetireTrainingModule':
      return retire(existing(state, command.data.moduleId));
    default:
      return assertNever(command);
  }
}

/** The module, refused as NOT_FOUND when it does not exist. */
function existing(state: TrainingModuleState, moduleId: string): TrainingModule {
  if (!exists(state)) throw new NotFoundError('TrainingModule', moduleId);
  return state;
}

function create(command: CreateTrainingModule, state: TrainingModuleState): TrainingModuleEvent[] {
  const d = command.data;
  const moduleId = validateModuleId(d.moduleId);
  const title = validateText(d.title, 'title', ModuleLimits.titleMaxLength);
  const professions = validateProfessions(d.professions);
  const instruments = validateInstruments(d.instruments);
  const objectives = isGiven(d.objectives) ? validateText(d.objectives, 'objectives', ModuleLimits.objectivesMaxLength) : undefined;
  const hours = validateHours(d.hours);
  const tags = validateTags(d.tags ?? []);

  // A second creation is refused rather than ignored: its fields would be silently lost.
  if (exists(state)) throw new IllegalStateError(ModuleRules.createAlreadyExists, `training module ${state.id} already exists`);
  return [
    {
      type: 'TrainingModuleCreated',
      data: { moduleId, title, professions, instruments, ...(objectives !== undefined ? { objectives } : {}), hours, tags },
    },
  ];
}

function publish(module: TrainingModule): TrainingModuleEvent[] {
  if (module.status === 'PUBLISHED') return [];
  if (module.status !== 'DRAFT') {
    throw new IllegalStateError(ModuleRules.publishRequiresDraft, `only a draft module can be published; ${module.id} is ${module.status}`);
  }
  return [{ type: 'TrainingModulePublished', data: { moduleId: module.id } }];
}

/** Sessions already scheduled from a retired module go on; no new one is scheduled from it. */
function retire(module: TrainingModule): TrainingModuleEvent[] {
  if (module.status === 'RETIRED') return [];
  if (module.status !== 'PUBLISHED') {
    throw new IllegalStateError(
      ModuleRules.retireRequiresPublished,
      `only a published module can be retired; ${module.id} is ${module.status}`,
    );
  }
  return [{ type: 'TrainingModuleRetired', data: { moduleId: module.id } }];
}

// ---------- input validation (ValidationError names the field) ----------

const MODULE_ID = new RegExp(`^${MODULE_ID_PREFIX}[A-Za-z0-9_-]{1,100}$`);

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function validateModuleId(value: unknown): string {
  if (typeof value !== 'string' || !MODULE_ID.test(value)) {
    throw new ValidationError(
      `moduleId must be ${MODULE_ID_PREFIX}<id> (letters, digits, - and _), got ${JSON.stringify(value)}`,
      'moduleId',
    );
  }
  return value;
}

function validateText(value: unknown, field: string, maxLength: number): LocalizedText {
  return validateLocalizedText(value, { field, maxLength });
}

function validateArray(value: unknown, field: string, max?: number): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be a list`, field);
  if (max !== undefined && value.length > max) throw new ValidationError(`${field} has ${value.length} items, more than ${max}`, field);
  return value as unknown[];
}

function rejectDuplicates(values: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new ValidationError(`${field} lists ${v} twice`, field);
    seen.add(v);
  }
}

/** At least one, distinct: a module is written for someone. */
function validateProfessions(values: unknown): Profession[] {
  const professions = validateArray(values, 'professions').map((v) => {
    if (typeof v !== 'string' || !(PROFESSIONS as readonly string[]).includes(v)) {
      throw new ValidationError(`professions must be among ${PROFESSIONS.join(', ')}, got ${JSON.stringify(v)}`, 'professions');
    }
    return v as Profession;
  });
  if (professions.length === 0) throw new ValidationError('a module targets at least one profession', 'professions');
  rejectDuplicates(professions, 'professions');
  return professions;
}

/** Free references (national texts are instruments too), trimmed, distinct; none is allowed. */
function validateInstruments(values: unknown): string[] {
  const instruments = validateArray(values, 'instruments', ModuleLimits.maxInstruments).map((v) => {
    if (typeof v !== 'string' || v.trim().length === 0)
      throw new ValidationError('an instrument must be a non-blank string', 'instruments');
    const text = v.trim();
    if ([...text].length > ModuleLimits.instrumentMaxLength) {
      throw new ValidationError(`an instrument is longer than ${ModuleLimits.instrumentMaxLength} characters`, 'instruments');
    }
    return text;
  });
  rejectDuplicates(instruments, 'instruments');
  return instruments;
}

function validateHours(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < ModuleLimits.minHours || value > ModuleLimits.maxHours) {
    throw new ValidationError(
      `hours must be a whole number from ${ModuleLimits.minHours} to ${ModuleLimits.maxHours}, got ${JSON.stringify(value)}`,
      'hours',
    );
  }
  return value;
}

function validateTags(values: unknown): HumanRightsTag[] {
  const tags = validateArray(values, 'tags', ModuleLimits.maxTags).map((v) => {
    if (!isHumanRightsTag(v)) throw new ValidationError('each tag needs a known kind and a non-blank ref', 'tags');
    const ref = v.ref.trim();
    if ([...ref].length > ModuleLimits.idMaxLength)
      throw new ValidationError(`a tag ref is longer than ${ModuleLimits.idMaxLength}`, 'tags');
    return { kind: v.kind, ref };
  });
  rejectDuplicates(
    tags.map((t) => `${t.kind} ${t.ref}`),
    'tags',
  );
  return tags;
}

// ---------- the decider ----------

export const trainingModuleDecider: Decider<TrainingModuleCommand, TrainingModuleEvent, TrainingModuleState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: MODULE_STATE_SCHEMA_VERSION,
};
