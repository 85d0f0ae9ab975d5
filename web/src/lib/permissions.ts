/*
 * What the console offers each role: a mirror of the services' policies (campaign.policy.ts,
 * finance's approval rights, the gateway's reporting and admin roles), so that an action a role
 * may not take is not shown. The services still decide: a refusal they give is shown in words.
 */

export interface Viewer {
  readonly username: string;
  readonly roles: readonly string[];
  /** A regional officer's region, e.g. MA-03. */
  readonly region?: string;
}

const has = (v: Viewer, ...roles: string[]) => v.roles.some((r) => roles.includes(r));

/** Creating and running campaigns: campaign managers and the director anywhere; regional officers in their region. */
export function canManageCampaigns(v: Viewer, regions?: readonly string[]): boolean {
  if (has(v, 'campaign-manager', 'director')) return true;
  if (!has(v, 'regional-officer') || !v.region) return false;
  return regions === undefined || (regions.length > 0 && regions.every((r) => r === v.region));
}

/** Training sessions: coordinators and the director anywhere; regional officers in their region. */
export function canManageTraining(v: Viewer, region?: string): boolean {
  if (has(v, 'training-coordinator', 'director')) return true;
  return has(v, 'regional-officer') && !!v.region && (region === undefined || region === v.region);
}

/** Training modules: coordinators and the director. */
export const canManageModules = (v: Viewer) => has(v, 'training-coordinator', 'director');

/** Partners and agreements: partnership officers and the director. */
export const canManagePartnerships = (v: Viewer) => has(v, 'partnership-officer', 'director');

/** Advocacy dossiers and recommendations: advocacy officers and the director. */
export const canManageAdvocacy = (v: Viewer) => has(v, 'advocacy-officer', 'director');

/** Approving or rejecting commitments (the amount thresholds are the budget's: the service checks them). */
export const canDecideCommitments = (v: Viewer) => has(v, 'finance-officer', 'director');

/** Synthesis reports: the director, the M&E officer and the auditor. */
export const canDownloadReports = (v: Viewer) => has(v, 'director', 'me-officer', 'auditor');

/** Indicators: everyone with a role (a regional officer sees their region). */
export const canReadIndicators = (v: Viewer) => v.roles.length > 0;

/** The audit trail: auditors, admins (the gateway's own stream) and the director. */
export const canReadAudit = (v: Viewer) => has(v, 'auditor', 'admin', 'director');

/** User administration: admins only. */
export const canAdministerUsers = (v: Viewer) => has(v, 'admin');

/** Business screens: not for an admin without a business role. */
export const readsBusinessData = (v: Viewer) => v.roles.some((r) => r !== 'admin');

/** The region a regional officer is held to (the dashboard and lists open on it). */
export const scopedRegion = (v: Viewer): string | undefined =>
  has(v, 'regional-officer') && !has(v, 'director', 'me-officer') ? v.region : undefined;
