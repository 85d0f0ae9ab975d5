import { parseMinorUnits } from '@hrp/contracts';
import type { Thresholds } from '../budget/budget.events';

/*
 * Approval rights of a commitment by its amount (docs/domain.md, "Finance"): up to the budget's
 * approval threshold a finance officer decides, above it the director; above the procurement
 * threshold the commitment must cite three quotes. "Above" is strict: an amount equal to a
 * threshold is still on the lower side (a threshold of 50,000.00 MAD reads "up to 50,000.00").
 * The thresholds come from the budget (set by the director, recorded as events), never from code.
 *
 * Pure functions of the amount, the thresholds and the principal, tested like the decider. The
 * director may decide any commitment (the director's rights include the finance officer's).
 * Rejecting needs the same right as approving: an officer may not refuse what only the director
 * may decide.
 */

export const FINANCE_OFFICER_ROLE = 'finance-officer';
export const DIRECTOR_ROLE = 'director';

/** Distinct quotes a commitment above the procurement threshold must cite. */
export const QUOTES_REQUIRED = 3;

export type Approver = typeof FINANCE_OFFICER_ROLE | typeof DIRECTOR_ROLE;

export interface ApprovalRequirements {
  /** The lowest role that may approve or reject it. */
  readonly approver: Approver;
  /** Distinct quotes it must cite before approval (0 or QUOTES_REQUIRED). */
  readonly quotesRequired: number;
}

/** What a commitment of `amount` minor units needs, under `thresholds`. */
export function approvalRequirements(amount: bigint, thresholds: Thresholds): ApprovalRequirements {
  return {
    approver: amount > parseMinorUnits(thresholds.approval.amount) ? DIRECTOR_ROLE : FINANCE_OFFICER_ROLE,
    quotesRequired: amount > parseMinorUnits(thresholds.procurement.amount) ? QUOTES_REQUIRED : 0,
  };
}

export interface FinancePrincipal {
  readonly roles: readonly string[];
}

export type Authorization = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether `principal` may approve or reject a commitment of `amount` under `thresholds`. */
export function mayDecideCommitment(principal: FinancePrincipal, amount: bigint, thresholds: Thresholds): Authorization {
  if (principal.roles.includes(DIRECTOR_ROLE)) return { ok: true };
  const { approver } = approvalRequirements(amount, thresholds);
  if (approver === FINANCE_OFFICER_ROLE && principal.roles.includes(FINANCE_OFFICER_ROLE)) return { ok: true };
  return {
    ok: false,
    reason:
      approver === DIRECTOR_ROLE
        ? `a commitment above ${thresholds.approval.amount} ${thresholds.approval.currency} minor units is decided by the director`
        : 'a commitment is decided by a finance officer or the director',
  };
}
