import type { PartnerCommand } from './partner.decider';
import type { PartnerState } from './partner.events';

/*
 * Who may run which partner command: a pure function of the principal and the command, tested
 * like the decider. The context kit's CommandService is to call it (the partner aggregate's
 * `authorize`, not wired yet) on the state the handler loads, before `decide`, and map a refusal
 * to FORBIDDEN.
 *
 * Partners are the institution's, national by nature (no region): the partnership officer and the
 * director write them; no other role does, regional officers included. No partner command depends
 * on the state, so `state` is only part of the signature the context kit calls.
 */

/** The caller as the partnerships policies need it (a subset of @hrp/auth's `Principal`). */
export interface PartnershipsPrincipal {
  readonly roles: readonly string[];
  /** The `region` attribute of a regional officer, e.g. `MA-06` (unused: partnerships are national). */
  readonly region?: string;
}

export type Authorization = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const PARTNERSHIP_OFFICER_ROLE = 'partnership-officer';
export const DIRECTOR_ROLE = 'director';

/** Roles that run every partnerships user command (partners and agreements). */
export const PARTNERSHIPS_MANAGING_ROLES = [PARTNERSHIP_OFFICER_ROLE, DIRECTOR_ROLE] as const;

/** The partner commands and the roles that may run each. */
export const PARTNER_COMMAND_ROLES: Readonly<Record<PartnerCommand['type'], readonly string[]>> = {
  RegisterPartner: PARTNERSHIPS_MANAGING_ROLES,
  UpdatePartner: PARTNERSHIPS_MANAGING_ROLES,
  AddContact: PARTNERSHIPS_MANAGING_ROLES,
  RemoveContact: PARTNERSHIPS_MANAGING_ROLES,
  DeactivatePartner: PARTNERSHIPS_MANAGING_ROLES,
  ReactivatePartner: PARTNERSHIPS_MANAGING_ROLES,
};

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/**
 * Whether `principal` may run `command` on a partner.
 *
 * - `partnership-officer` and `director`: every partner command.
 * - Every other role (admin, auditor, viewer, me-officer, regional-officer, …): nothing.
 */
export function authorize(principal: PartnershipsPrincipal, command: PartnerCommand, _state?: PartnerState): Authorization {
  const type = (command as { readonly type: string }).type;
  const roles = PARTNER_COMMAND_ROLES[command.type] as readonly string[] | undefined;
  if (roles === undefined) return refuse(`unknown command ${type}`);
  if (principal.roles.some((r) => roles.includes(r))) return ALLOWED;
  return refuse(`${type} needs the ${roles.join(' or ')} role`);
}
