import type { CampaignCommand, UserCampaignCommand } from './campaign.decider';
import type { Campaign, CampaignState } from './campaign.events';
import { exists, findActivity } from './campaign.events';

/*
 * Who may run which campaign command: a pure function of the principal, the command and the
 * current state, so that it is tested like the decider. The context kit's CommandService calls
 * it (campaigns.context.ts `campaignAggregate.authorize`) on the state the handler loads, before
 * `decide`, and maps a refusal to FORBIDDEN.
 *
 * `RecordFundingDecision` is a system command: only the funding-decisions reaction builds it (from
 * `recordFundingDecisionFrom`) and runs it without the user policy (`CommandService.run`), never
 * through a resolver, so it never reaches `authorize`. Its type is excluded from `authorize`'s parameter,
 * and should it arrive at run time anyway, it is refused.
 */

/** The caller as the policy needs it (a subset of @hrp/auth's `Principal`). */
export interface CampaignPrincipal {
  readonly roles: readonly string[];
  /** The `region` attribute of a regional officer, e.g. `MA-06`. */
  readonly region?: string;
}

export type Authorization = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Roles that run every campaign command, in every region. */
export const CAMPAIGN_MANAGING_ROLES = ['campaign-manager', 'director'] as const;
/** Role scoped to the `region` attribute of the user. */
export const REGIONAL_OFFICER_ROLE = 'regional-officer';

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/**
 * Whether `principal` may run `command` on a campaign in `state` (omit the state, or pass the
 * initial one, for a stream not created yet).
 *
 * - `campaign-manager` and `director`: everything.
 * - `regional-officer` with a `region`: create, plan, launch, complete, cancel only campaigns whose
 *   regions are all its region (so NATIONAL ones only with a NATIONAL attribute); schedule, record
 *   and cancel activities whose region is its region, in any campaign (e.g. a national one).
 *   Without a `region` attribute, nothing.
 * - Every other role (admin, auditor, viewer, me-officer, training-coordinator, …): nothing.
 *
 * When the campaign or the activity does not exist, the regional check has nothing to look at
 * and lets the command through, so that the decider answers NOT_FOUND rather than FORBIDDEN.
 */
export function authorize(principal: CampaignPrincipal, command: UserCampaignCommand, state?: CampaignState): Authorization {
  const type = (command as CampaignCommand).type;
  if (type === 'RecordFundingDecision') return refuse('RecordFundingDecision is a system command, run by the finance-events consumer only');
  if (principal.roles.some((r) => (CAMPAIGN_MANAGING_ROLES as readonly string[]).includes(r))) return ALLOWED;
  if (!principal.roles.includes(REGIONAL_OFFICER_ROLE))
    return refuse(`${type} needs the campaign-manager, director or regional-officer role`);
  const region = principal.region;
  if (region === undefined || region.length === 0) return refuse('a regional officer without a region attribute may not change campaigns');

  const campaign = state !== undefined && exists(state) ? state : undefined;
  switch (command.type) {
    case 'CreateCampaign':
      return inRegion(command.data.regions, region, 'the campaign');
    case 'PlanCampaign':
    case 'LaunchCampaign':
    case 'CompleteCampaign':
    case 'CancelCampaign':
      return campaign === undefined ? ALLOWED : inRegion(campaign.regions, region, 'the campaign');
    case 'ScheduleActivity':
      return inRegion([command.data.region], region, 'the activity');
    case 'RecordActivityHeld':
    case 'CancelActivity':
      return activityInRegion(campaign, command.data.activityId, region);
    default:
      return refuse(`unknown command ${type}`);
  }
}

function inRegion(regions: readonly string[], region: string, what: string): Authorization {
  if (regions.length > 0 && regions.every((r) => r === region)) return ALLOWED;
  return refuse(`a regional officer of ${region} may not act on ${what} in ${regions.join(', ') || 'no region'}`);
}

function activityInRegion(campaign: Campaign | undefined, activityId: string, region: string): Authorization {
  const activity = campaign === undefined ? undefined : findActivity(campaign, activityId);
  return activity === undefined ? ALLOWED : inRegion([activity.region], region, 'the activity');
}
