import { eventTypeV1 as v1, objectSchema as object } from '@hrp/contracts';
import type { JsonSchema } from '@hrp/contracts';
import {
  EventRegistry,
  disaggregatedCountSchema,
  fundingRequestedDefinition,
  fundingWithdrawnDefinition,
  humanRightsTagSchema,
  localizedTextSchema,
  moneyAmountSchema,
  regionSchema,
} from '@hrp/contracts';
import { CampaignLimits } from './campaign.decider';
import { ACTIVITY_KINDS, AUDIENCES, CAMPAIGN_ID_PREFIX, CHANNELS } from './campaign.events';

/*
 * The schemas of the campaigns context's events, every version, with their upcasters (the shared
 * FundingRequested is at v2, with its upcaster from v1; the others are v1). The context kit validates what `decide` produced against them before an append
 * (a malformed event is refused, nothing stored) and stamps it with the current version; the
 * event store upcasts what it reads. Their fingerprints are guarded by campaign.registry.unit.spec.ts
 * against campaign.registry.snapshot.json: a published schema never changes in place; a change
 * is a new version with an upcaster.
 *
 * Framework-free: it uses @hrp/contracts and this context's domain constants (limits, enums).
 */

/** The bounded context's name in registries, CloudEvents types and topics. */
export const CAMPAIGNS_CONTEXT = 'campaigns';

const campaignId: JsonSchema = { type: 'string', pattern: `^${CAMPAIGN_ID_PREFIX}[A-Za-z0-9_-]{1,100}$` };
const id: JsonSchema = { type: 'string', minLength: 1, maxLength: CampaignLimits.idMaxLength };
const date: JsonSchema = { type: 'string', format: 'date' };
const instant: JsonSchema = { type: 'string', format: 'date-time' };
const count: JsonSchema = { type: 'integer', minimum: 0 };
const reason: JsonSchema = { type: 'string', minLength: 1, maxLength: CampaignLimits.reasonMaxLength };
const list = (items: JsonSchema, bounds: { minItems?: number; maxItems?: number } = {}): JsonSchema => ({
  type: 'array',
  items,
  ...bounds,
});

/** Every event type of a campaign stream, registered at its current version. */
export const campaignEventRegistry = new EventRegistry(CAMPAIGNS_CONTEXT)
  .register(
    v1(
      'CampaignCreated',
      object(
        {
          campaignId,
          title: localizedTextSchema(CampaignLimits.titleMaxLength),
          objective: localizedTextSchema(CampaignLimits.objectiveMaxLength),
          themes: list({ type: 'string', minLength: 1, maxLength: CampaignLimits.themeMaxLength }, { maxItems: CampaignLimits.maxThemes }),
          tags: list(humanRightsTagSchema, { maxItems: CampaignLimits.maxTags }),
          audiences: list({ type: 'string', enum: AUDIENCES }),
          channels: list({ type: 'string', enum: CHANNELS }),
          regions: list(regionSchema, { minItems: 1 }),
          startDate: date,
          endDate: date,
          targetReach: count,
          partnerIds: list(id, { maxItems: CampaignLimits.maxPartners }),
          budgetLineId: id,
          estimatedCost: moneyAmountSchema,
        },
        ['objective', 'budgetLineId', 'estimatedCost'],
      ),
      'A campaign was created in DRAFT',
    ),
  )
  .register(v1('CampaignPlanned', object({ campaignId }), 'DRAFT -> PLANNED'))
  .register(fundingRequestedDefinition)
  .register(
    v1(
      'FundingApproved',
      object({ campaignId, commitmentId: id, requestId: id, amount: moneyAmountSchema, decidedAt: instant }, ['requestId']),
      "Finance approved the campaign's commitment",
    ),
  )
  .register(
    v1(
      'FundingRejected',
      object({ campaignId, commitmentId: id, requestId: id, amount: moneyAmountSchema, reason, decidedAt: instant }, ['requestId']),
      "Finance rejected the campaign's commitment",
    ),
  )
  .register(v1('CampaignLaunched', object({ campaignId }), 'PLANNED -> ACTIVE'))
  .register(
    v1(
      'ActivityScheduled',
      object(
        {
          campaignId,
          activityId: id,
          kind: { type: 'string', enum: ACTIVITY_KINDS },
          date,
          region: regionSchema,
          venue: { type: 'string', minLength: 1, maxLength: CampaignLimits.venueMaxLength },
          title: localizedTextSchema(CampaignLimits.titleMaxLength),
        },
        ['venue', 'title'],
      ),
      'An awareness activity was scheduled',
    ),
  )
  .register(
    v1(
      'ActivityHeld',
      object({ campaignId, activityId: id, participants: disaggregatedCountSchema, mediaReach: count }, ['mediaReach']),
      'An activity was held, with its participants (and media reach)',
    ),
  )
  .register(v1('ActivityCancelled', object({ campaignId, activityId: id, reason }), 'A scheduled activity was cancelled'))
  .register(v1('CampaignCompleted', object({ campaignId }), 'ACTIVE -> COMPLETED'))
  .register(v1('CampaignCancelled', object({ campaignId, reason }), 'Cancelled before completion, with a reason'))
  .register(fundingWithdrawnDefinition);
