import type { TrainingModuleCommand } from './module.decider';
import type { TrainingModuleState } from './module.events';

/*
 * Who may run which training module command: a pure function of the principal and the command,
 * tested like the decider. The context kit's CommandService is to call it (the module aggregate's
 * `authorize`, not wired yet) on the state the handler loads, before `decide`, and map a refusal
 * to FORBIDDEN.
 *
 * Modules are the institution's curriculum, national by nature (no region): the training
 * coordinator and the director write them; no other role does. No module command depends on the
 * state, so `state` is only part of the signature the context kit calls.
 */

/** The caller as the training policies need it (a subset of @hrp/auth's `Principal`). */
export interface TrainingPrincipal {
  readonly roles: readonly string[];
  /** The `region` attribute of a regional officer, e.g. `MA-06`. */
  readonly region?: string;
}

export type Authorization = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const TRAINING_COORDINATOR_ROLE = 'training-coordinator';
export const DIRECTOR_ROLE = 'director';
/** Role scoped to the `region` attribute of the user. */
export const REGIONAL_OFFICER_ROLE = 'regional-officer';

/** Roles that run every training command (modules and sessions), in every region. */
export const TRAINING_MANAGING_ROLES = [TRAINING_COORDINATOR_ROLE, DIRECTOR_ROLE] as const;

/** The module commands and the roles that may run each. */
export const MODULE_COMMAND_ROLES: Readonly<Record<TrainingModuleCommand['type'], readonly string[]>> = {
  CreateTrainingModule: TRAINING_MANAGING_ROLES,
  PublishTrainingModule: TRAINING_MANAGING_ROLES,
  RetireTrainingModule: TRAINING_MANAGING_ROLES,
};

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/**
 * Whether `principal` may run `command` on a training module.
 *
 * - `training-coordinator` and `director`: every module command.
 * - Every other role (admin, auditor, viewer, me-officer, regional-officer, …): nothing.
 */
export function authorize(principal: TrainingPrincipal, command: TrainingModuleCommand, _state?: TrainingModuleState): Authorization {
  const type = (command as { readonly type: string }).type;
  const roles = MODULE_COMMAND_ROLES[command.type] as readonly string[] | undefined;
  if (roles === undefined) return refuse(`unknown command ${type}`);
  if (principal.roles.some((r) => roles.includes(r))) return ALLOWED;
  return refuse(`${type} needs the ${roles.join(' or ')} role`);
}
