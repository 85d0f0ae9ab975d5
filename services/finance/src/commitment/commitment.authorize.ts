import { parseMinorUnits } from '@hrp/contracts';
import type { CommitmentCommand, UserCommitmentCommand } from './commitment.decider';
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
 * - Rejecting needs the same right, on the thresholds the command carries (the budget's, read by
 *   the adapter as for approval): an officer never refuses what only the director may decide.
 * - CompleteApproval is a system command of the approval process: refused here.
 * - Requesting, citing quotes, recording an expense: finance officer or director (the
 *   funding process requests without the user policy).
 * - Every other role (admin, auditor, viewer, me-officer, regional-officer, …): nothing; they read.
 *
 * When the commitment does not exist, the amount rule has nothing to look at and a finance role is
 * let through, so that the decider answers NOT_FOUND rather than FORBIDDEN.
 */

const FINANCE_ROLES: readonly string[] = [FINANCE_OFFICER_ROLE, DIRECTOR_ROLE];

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/** Whether `principal` may run `command` on a commitment in `state` (omit it before a request). */
export function authorize(principal: FinancePrincipal, command: UserCommitmentCommand, state?: CommitmentState): Authorization {
  const type = (command as CommitmentCommand).type;
  if (type === 'CompleteApproval' || type === 'ReleaseCommitment')
    return refuse(`${type} is a system command, run by finance's process only`);
  if (!principal.roles.some((r) => FINANCE_ROLES.includes(r))) return refuse(`${type} needs the finance-officer or director role`);
  const commitment = state !== undefined && exists(state) ? state : undefined;
  switch (command.type) {
    case 'RequestCommitment':
    case 'CiteQuotes':
    case 'RecordExpense':
      return ALLOWED;
    case 'ApproveCommitment':
      return commitment === undefined
        ? ALLOWED
        : mayDecideCommitment(principal, parseMinorUnits(commitment.amount.amount), command.data.thresholds);
    case 'RejectCommitment':
      return commitment === undefined
        ? ALLOWED
        : mayDecideCommitment(principal, parseMinorUnits(commitment.amount.amount), command.data.thresholds);
    default:
      return refuse(`unknown command ${type}`);
  }
}
