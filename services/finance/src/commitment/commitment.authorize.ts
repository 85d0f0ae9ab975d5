import { parseMinorUnits } from '@hrp/contracts';
import type { CommitmentCommand } from './commitment.decider';
import type { CommitmentState } from './commitment.events';
import { exists } from './commitment.events';
import type { Authorization, FinancePrincipal } from './commitment.policy';
import { DIRECTOR_ROLE, FINANCE_OFFICER_ROLE, mayDecideCommitment } from './commitment.policy';

/*
 * Who may run which commitment command: a pure function of the principal, the command and the
 * current state, tested like the decider. The context kit's CommandService is to call it
 * (`commitmentAggregate.authorize`, not wired yet) on the state the handler loads, before `decide`.
 *
 * - Approving: `mayDecideCommitment` on the commitment's amount and the thresholds the command
 *   carries (the budget's, read by the adapter): a finance officer up to the approval threshold,
 *   the director at any amount.
 * - Rejecting needs the same right, but `RejectCommitment` does not carry the thresholds yet: until
 *   it does, only the director may reject (fail closed, never an officer rejecting what only the
 *   director may decide). A `thresholds` field on RejectCommitment, filled by the adapter as for
 *   approval, is the change that lifts this.
 * - Requesting, citing quotes, recording an expense, releasing: finance officer or director (the
 *   funding process requests and releases without the user policy).
 * - Every other role (admin, auditor, viewer, me-officer, regional-officer, …): nothing; they read.
 *
 * When the commitment does not exist, the amount rule has nothing to look at and a finance role is
 * let through, so that the decider answers NOT_FOUND rather than FORBIDDEN.
 */

const FINANCE_ROLES: readonly string[] = [FINANCE_OFFICER_ROLE, DIRECTOR_ROLE];

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/** Whether `principal` may run `command` on a commitment in `state` (omit it before a request). */
export function authorize(principal: FinancePrincipal, command: CommitmentCommand, state?: CommitmentState): Authorization {
  const type = (command as { readonly type: string }).type;
  if (!principal.roles.some((r) => FINANCE_ROLES.includes(r))) return refuse(`${type} needs the finance-officer or director role`);
  const commitment = state !== undefined && exists(state) ? state : undefined;
  switch (command.type) {
    case 'RequestCommitment':
    case 'CiteQuotes':
    case 'RecordExpense':
    case 'ReleaseCommitment':
      return ALLOWED;
    case 'ApproveCommitment':
      return commitment === undefined
        ? ALLOWED
        : mayDecideCommitment(principal, parseMinorUnits(commitment.amount.amount), command.data.thresholds);
    case 'RejectCommitment':
      if (commitment === undefined || principal.roles.includes(DIRECTOR_ROLE)) return ALLOWED;
      return refuse('the budget’s thresholds are not known to this rejection: only the director may reject it');
    default:
      return refuse(`unknown command ${type}`);
  }
}
