import { DIRECTOR_ROLE, FINANCE_OFFICER_ROLE } from './commitment/commitment.policy';

/*
 * Who reads finance (issue 10): the finance officer and the director (who write), the M&E officer,
 * the auditor and the viewer read everything; a regional officer reads the lines and commitments
 * of their region's activities only (a commitment whose source activity is in their region, and
 * the lines such commitments are on); every other role reads nothing (FORBIDDEN). Pure, tested
 * like a policy.
 */

export const FINANCE_READER_ROLES = [FINANCE_OFFICER_ROLE, DIRECTOR_ROLE, 'me-officer', 'auditor', 'viewer'] as const;
export const REGIONAL_OFFICER_ROLE = 'regional-officer';

export type ReadScope =
  { readonly kind: 'all' } | { readonly kind: 'region'; readonly region: string } | { readonly kind: 'none'; readonly reason: string };

export function readScope(principal: { readonly roles: readonly string[]; readonly region?: string }): ReadScope {
  if (principal.roles.some((r) => (FINANCE_READER_ROLES as readonly string[]).includes(r))) return { kind: 'all' };
  if (principal.roles.includes(REGIONAL_OFFICER_ROLE)) {
    if (principal.region === undefined || principal.region.length === 0)
      return { kind: 'none', reason: 'a regional officer without a region attribute reads no finance data' };
    return { kind: 'region', region: principal.region };
  }
  return { kind: 'none', reason: `finance is read by the ${FINANCE_READER_ROLES.join(', ')} and regional-officer roles` };
}

/** Whether a commitment of the source activity's `regions` is readable in `scope`. */
export function mayReadCommitment(scope: ReadScope, regions: readonly string[]): boolean {
  return scope.kind === 'all' || (scope.kind === 'region' && regions.includes(scope.region));
}
