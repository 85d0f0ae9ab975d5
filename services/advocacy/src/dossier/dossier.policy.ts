import type { DossierCommand } from './dossier.decider';
import type { DossierState } from './dossier.events';

/*
 * Who may run which dossier command: a pure function of the principal and the command, tested
 * like the decider. The context kit's CommandService is to call it (the dossier aggregate's
 * `authorize`) on the state the handler loads, before `decide`, and map a refusal to FORBIDDEN.
 *
 * Advocacy is the institution's, national by nature (no region): the advocacy officer and the
 * director write dossiers, their recommendations and engagements; no other role does, regional
 * officers included. Reads are decided elsewhere (the resolvers). No dossier command depends on
 * the state, so `state` is only part of the signature the context kit calls.
 */

/** The caller as the advocacy policies need it (a subset of @hrp/auth's `Principal`). */
export interface AdvocacyPrincipal {
  readonly roles: readonly string[];
  /** The `region` attribute of a regional officer, e.g. `MA-06` (unused: advocacy is national). */
  readonly region?: string;
}

export type Authorization = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const ADVOCACY_OFFICER_ROLE = 'advocacy-officer';
export const DIRECTOR_ROLE = 'director';

/** Roles that run every advocacy user command. */
export const ADVOCACY_MANAGING_ROLES = [ADVOCACY_OFFICER_ROLE, DIRECTOR_ROLE] as const;

/** The dossier commands and the roles that may run each. */
export const DOSSIER_COMMAND_ROLES: Readonly<Record<DossierCommand['type'], readonly string[]>> = {
  OpenDossier: ADVOCACY_MANAGING_ROLES,
  IssueRecommendation: ADVOCACY_MANAGING_ROLES,
  ChangeRecommendationStatus: ADVOCACY_MANAGING_ROLES,
  LogEngagement: ADVOCACY_MANAGING_ROLES,
  RecordEngagementOutcome: ADVOCACY_MANAGING_ROLES,
  CloseDossier: ADVOCACY_MANAGING_ROLES,
};

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/**
 * Whether `principal` may run `command` on a dossier.
 *
 * - `advocacy-officer` and `director`: every dossier command.
 * - Every other role (admin, auditor, viewer, me-officer, regional-officer, …): nothing.
 */
export function authorize(principal: AdvocacyPrincipal, command: DossierCommand, _state?: DossierState): Authorization {
  const type = (command as { readonly type: string }).type;
  const roles = DOSSIER_COMMAND_ROLES[command.type] as readonly string[] | undefined;
  if (roles === undefined) return refuse(`unknown command ${type}`);
  if (principal.roles.some((r) => roles.includes(r))) return ALLOWED;
  return refuse(`${type} needs the ${roles.join(' or ')} role`);
}
