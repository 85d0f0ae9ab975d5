import type { UprCommand } from './upr.decider';
import type { UprState } from './upr.events';

/*
 * Who may import UPR recommendations: a pure function of the principal and the command, tested like
 * the decider. The recommendations are Morocco's, national by nature: the advocacy officer and the
 * director import them; every other role reads them only (regional officers included). The state
 * plays no part: it is only part of the signature the context kit calls.
 */

/** The caller as the policy needs it (a subset of @hrp/auth's `Principal`). */
export interface UprPrincipal {
  readonly roles: readonly string[];
  readonly region?: string;
}

export type Authorization = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const ADVOCACY_OFFICER_ROLE = 'advocacy-officer';
export const DIRECTOR_ROLE = 'director';

/** The roles that import UPR recommendations. */
export const UPR_IMPORTING_ROLES = [ADVOCACY_OFFICER_ROLE, DIRECTOR_ROLE] as const;

export const UPR_COMMAND_ROLES: Readonly<Record<UprCommand['type'], readonly string[]>> = {
  ImportUprRecommendation: UPR_IMPORTING_ROLES,
};

/** Whether `principal` may run `command`: `advocacy-officer` and `director` only. */
export function authorize(principal: UprPrincipal, command: Pick<UprCommand, 'type'>, _state?: UprState): Authorization {
  const type = (command as { readonly type: string }).type;
  const roles = UPR_COMMAND_ROLES[command.type] as readonly string[] | undefined;
  if (roles === undefined) return { ok: false, reason: `unknown command ${type}` };
  if (principal.roles.some((r) => roles.includes(r))) return { ok: true };
  return { ok: false, reason: `${type} needs the ${roles.join(' or ')} role` };
}
