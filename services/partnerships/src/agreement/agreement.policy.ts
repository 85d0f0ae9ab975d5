import type { Authorization, PartnershipsPrincipal } from '../partner/partner.policy';
import { PARTNERSHIPS_MANAGING_ROLES } from '../partner/partner.policy';
import type { AgreementCommand, UserAgreementCommand } from './agreement.decider';
import type { AgreementState } from './agreement.events';

/*
 * Who may run which agreement command: a pure function of the principal and the command, tested
 * like the decider. The context kit's CommandService is to call it (the agreement aggregate's
 * `authorize`, not wired yet) on the state the handler loads, before `decide`, and map a refusal
 * to FORBIDDEN.
 *
 * Agreements are national (no region): the partnership officer and the director write them; no
 * other role does, regional officers included.
 *
 * `RecordFundingDecision` and `RecordExpiryNotices` are system commands: only the finance-events
 * reaction and the scheduled daily check build them and run them without the user policy, never
 * through a resolver, so they never reach `authorize`. Should one arrive here anyway, it is refused.
 */

/** The user commands and the roles that may run each. */
export const AGREEMENT_COMMAND_ROLES: Readonly<Record<UserAgreementCommand['type'], readonly string[]>> = {
  DraftAgreement: PARTNERSHIPS_MANAGING_ROLES,
  StartNegotiation: PARTNERSHIPS_MANAGING_ROLES,
  SignAgreement: PARTNERSHIPS_MANAGING_ROLES,
  ActivateAgreement: PARTNERSHIPS_MANAGING_ROLES,
  RenewAgreement: PARTNERSHIPS_MANAGING_ROLES,
  TerminateAgreement: PARTNERSHIPS_MANAGING_ROLES,
  CancelAgreement: PARTNERSHIPS_MANAGING_ROLES,
};

/** The system commands, run by the context's own reactions and schedule only. */
export const SYSTEM_AGREEMENT_COMMANDS: ReadonlySet<string> = new Set<Exclude<AgreementCommand, UserAgreementCommand>['type']>([
  'RecordFundingDecision',
  'RecordExpiryNotices',
]);

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/**
 * Whether `principal` may run `command` on an agreement.
 *
 * - `partnership-officer` and `director`: every user command.
 * - Every other role (admin, auditor, viewer, me-officer, regional-officer, …): nothing.
 * - The system commands: nobody.
 */
export function authorize(principal: PartnershipsPrincipal, command: UserAgreementCommand, _state?: AgreementState): Authorization {
  const type = (command as AgreementCommand).type;
  if (SYSTEM_AGREEMENT_COMMANDS.has(type)) return refuse(`${type} is a system command, run by the partnerships service only`);
  const roles = AGREEMENT_COMMAND_ROLES[command.type] as readonly string[] | undefined;
  if (roles === undefined) return refuse(`unknown command ${type}`);
  if (principal.roles.some((r) => roles.includes(r))) return ALLOWED;
  return refuse(`${type} needs the ${roles.join(' or ')} role`);
}
