import type { Authorization, FinancePrincipal } from '../commitment/commitment.policy';
import { DIRECTOR_ROLE, FINANCE_OFFICER_ROLE } from '../commitment/commitment.policy';
import type { BudgetCommand, UserBudgetCommand } from './budget.decider';
import type { BudgetState } from './budget.events';

/*
 * Who may run which budget command: a pure function of the principal and the command, tested like
 * the decider. The context kit's CommandService is to call it (`budgetAggregate.authorize`, not
 * wired yet) on the state the handler loads, before `decide`, and map a refusal to FORBIDDEN.
 *
 * docs/domain.md ("Finance") and issue 10: the director approves a budget and reallocates between
 * its lines (with a reason); the thresholds are set by the director. The docs are silent on who
 * drafts and who closes; the choices here:
 * - a finance officer drafts (preparing the year's budget is the finance office's work, and a draft
 *   commits nothing until the director approves it); the director may draft too;
 * - only the director closes (it ends the year's execution and cannot be undone).
 * No budget command depends on the state (budgets are national: no regional scope), so `state` is
 * only part of the signature the context kit calls.
 *
 * CommitFunds, ReleaseFunds and SpendFunds are system commands of finance's own approval and
 * expense process, run without the user policy; should one arrive here, it is refused.
 */

/** The user commands of a budget and the roles that may run each. */
export const BUDGET_COMMAND_ROLES: Readonly<Record<UserBudgetCommand['type'], readonly string[]>> = {
  DraftBudget: [FINANCE_OFFICER_ROLE, DIRECTOR_ROLE],
  SetBudgetThresholds: [DIRECTOR_ROLE],
  ApproveBudget: [DIRECTOR_ROLE],
  ReallocateFunds: [DIRECTOR_ROLE],
  CloseBudget: [DIRECTOR_ROLE],
};

const SYSTEM_COMMANDS: ReadonlySet<string> = new Set<Exclude<BudgetCommand, UserBudgetCommand>['type']>([
  'CommitFunds',
  'ReleaseFunds',
  'SpendFunds',
]);

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/**
 * Whether `principal` may run `command` on a budget.
 *
 * - `director`: every user command.
 * - `finance-officer`: DraftBudget only.
 * - Every other role (admin, auditor, viewer, me-officer, regional-officer, …): nothing.
 */
export function authorize(principal: FinancePrincipal, command: UserBudgetCommand, _state?: BudgetState): Authorization {
  const type = (command as BudgetCommand).type;
  if (SYSTEM_COMMANDS.has(type)) return refuse(`${type} is a system command, run by finance's commitment process only`);
  const roles = BUDGET_COMMAND_ROLES[command.type] as readonly string[] | undefined;
  if (roles === undefined) return refuse(`unknown command ${type}`);
  if (principal.roles.some((r) => roles.includes(r))) return ALLOWED;
  return refuse(`${type} needs the ${roles.join(' or ')} role`);
}
