import type { Command, CommandMetadata, Decider } from '@hrp/domain-kit';
import { IllegalStateError, NotFoundError, ValidationError, assertNever } from '@hrp/domain-kit';
import type { DisaggregatedCount, HumanRightsTag, LocalizedText, MoneyAmount, ProducerFundingDecision, Region } from '@hrp/contracts';
import {
  DEFAULT_CURRENCY,
  MAX_MINOR_UNITS,
  disaggregatedCountIssues,
  fundingDecisionFor,
  fundingDecisionOutcome,
  fundingWithdrawalOf,
  isCurrencyCode,
  isHumanRightsTag,
  isRegion,
  schemaIssues,
  toMoneyAmount,
  validateLocalizedText,
} from '@hrp/contracts';
import type { Activity, ActivityKind, Audience, Campaign, CampaignEvent, CampaignState, Channel } from './campaign.events';
import {
  ACTIVITY_KINDS,
  AUDIENCES,
  CAMPAIGN_ID_PREFIX,
  CAMPAIGN_STATE_SCHEMA_VERSION,
  CHANNELS,
  evolve,
  exists,
  findActivity,
  hasCost,
  initialState,
  isClosed,
  isNational,
} from './campaign.events';

/** Stable ids of the business rules, carried by `IllegalStateError.rule` (GraphQL `extensions.rule`). */
export const CampaignRules = {
  /** Completed or cancelled: every command is refused (a funding decision is a no-op instead). */
  closed: 'campaign.closed',
  createAlreadyExists: 'campaign.create.already-exists',
  planRequiresDraft: 'campaign.plan.requires-draft',
  planRequiresAudienceAndChannel: 'campaign.plan.requires-audience-and-channel',
  planCostRequiresBudgetLine: 'campaign.plan.cost-requires-budget-line',
  launchRequiresPlanned: 'campaign.launch.requires-planned',
  launchRequiresFunding: 'campaign.launch.requires-funding',
  activityCampaignNotOpen: 'campaign.activity.campaign-not-open',
  activityDateOutsidePeriod: 'campaign.activity.date-outside-period',
  activityRegionOutsideCampaign: 'campaign.activity.region-outside-campaign',
  activityNotScheduled: 'campaign.activity.not-scheduled',
  activityRequiresActiveCampaign: 'campaign.activity.requires-active-campaign',
  completeRequiresActive: 'campaign.complete.requires-active',
  /** A partner id that partnerships never registered (as far as the local view knows, after a bounded wait). */
  partnerUnknown: 'campaign.partner-unknown',
  /** A new reference to a partner partnerships deactivated (campaigns that already name it keep it). */
  partnerInactive: 'campaign.partner-inactive',
} as const;
export type CampaignRule = (typeof CampaignRules)[keyof typeof CampaignRules];

/** Limits of the inputs (characters are Unicode code points). */
export const CampaignLimits = {
  titleMaxLength: 300,
  objectiveMaxLength: 2000,
  maxThemes: 20,
  themeMaxLength: 100,
  maxTags: 50,
  maxPartners: 100,
  idMaxLength: 200,
  venueMaxLength: 200,
  reasonMaxLength: 1000,
} as const;

// ---------- commands (one per GraphQL mutation, plus the system command from finance) ----------

/** `LocalizedTextInput` as GraphQL hands it over (null translations are dropped). */
export interface LocalizedTextInput {
  readonly fr: string;
  readonly ar?: string | null;
  readonly en?: string | null;
  readonly zgh?: string | null;
}

/**
 * A named partner as the adapter found it in campaigns' view of partnerships' events
 * (`known_partners`). An id named by the command but absent from the list is unknown.
 */
export interface KnownPartner {
  readonly id: string;
  readonly status: 'ACTIVE' | 'INACTIVE';
}

/** Optional inputs accept null as absent, as GraphQL sends them. */
export type CreateCampaign = Command<
  'CreateCampaign',
  {
    /** The stream id, `campaign-<uuid>` (see `campaignStreamId`). */
    readonly campaignId: string;
    readonly title: LocalizedTextInput;
    readonly objective?: LocalizedTextInput | null;
    readonly themes: readonly string[];
    readonly tags?: readonly HumanRightsTag[] | null;
    readonly audiences: readonly Audience[];
    readonly channels: readonly Channel[];
    /** `MA-01` … `MA-12`, or `NATIONAL` alone. */
    readonly regions: readonly string[];
    readonly startDate: string;
    readonly endDate: string;
    readonly targetReach: number;
    readonly partnerIds?: readonly string[] | null;
    /** What the adapter read of `partnerIds` (not input: the adapter fills it, the decider checks against it). */
    readonly knownPartners: readonly KnownPartner[];
    readonly budgetLineId?: string | null;
    /** Parsed from `MoneyInput` (e.g. `parseMinorUnits`); currency defaults to MAD. */
    readonly estimatedCost?: { readonly amount: bigint; readonly currency?: string | null } | null;
  }
>;

export type PlanCampaign = Command<'PlanCampaign', { readonly campaignId: string }>;
export type LaunchCampaign = Command<'LaunchCampaign', { readonly campaignId: string }>;

/** The new activity's id is `metadata.ids[0]`. */
export type ScheduleActivity = Command<
  'ScheduleActivity',
  {
    readonly campaignId: string;
    readonly kind: ActivityKind;
    readonly date: string;
    readonly region: string;
    readonly venue?: string | null;
    readonly title?: LocalizedTextInput | null;
  }
>;

export type RecordActivityHeld = Command<
  'RecordActivityHeld',
  {
    readonly campaignId: string;
    readonly activityId: string;
    /** GraphQL defaults (`undisclosed`, `withDisability` = 0) are applied by the adapter. */
    readonly participants: DisaggregatedCount;
    readonly mediaReach?: number | null;
  }
>;

export type CancelActivity = Command<
  'CancelActivity',
  { readonly campaignId: string; readonly activityId: string; readonly reason: string }
>;
export type CompleteCampaign = Command<'CompleteCampaign', { readonly campaignId: string }>;
export type CancelCampaign = Command<'CancelCampaign', { readonly campaignId: string; readonly reason: string }>;

/**
 * System command, built by the finance-events consumer (`recordFundingDecisionFrom`), never by a
 * GraphQL mutation: the authorization policy does not apply to it.
 */
export type RecordFundingDecision = Command<'RecordFundingDecision', { readonly campaignId: string } & ProducerFundingDecision>;

export type CampaignCommand =
  | CreateCampaign
  | PlanCampaign
  | LaunchCampaign
  | ScheduleActivity
  | RecordActivityHeld
  | CancelActivity
  | CompleteCampaign
  | CancelCampaign
  | RecordFundingDecision;

/** Commands a user may send through GraphQL (everything but the system command). */
export type UserCampaignCommand = Exclude<CampaignCommand, RecordFundingDecision>;

// ---------- decide ----------

export function decide(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  switch (command.type) {
    case 'CreateCampaign':
      return create(command, state);
    case 'PlanCampaign':
      return plan(command, openCampaign(state, command.data.campaignId));
    case 'LaunchCampaign':
      return launch(openCampaign(state, command.data.campaignId));
    case 'ScheduleActivity':
      return scheduleActivity(command, state);
    case 'RecordActivityHeld':
      return recordActivityHeld(command, state);
    case 'CancelActivity':
      return cancelActivity(command, state);
    case 'CompleteCampaign':
      return complete(openCampaign(state, command.data.campaignId));
    case 'CancelCampaign':
      return cancel(command, state);
    case 'RecordFundingDecision':
      return recordFundingDecision(command, state);
    default:
      return assertNever(command);
  }
}

/** The campaign, refused when it does not exist (NOT_FOUND) or is closed. */
function openCampaign(state: CampaignState, campaignId: string): Campaign {
  if (!exists(state)) throw new NotFoundError('Campaign', campaignId);
  if (isClosed(state)) {
    throw new IllegalStateError(CampaignRules.closed, `campaign ${state.id} is ${state.status.toLowerCase()}: it is closed to changes`);
  }
  return state;
}

// ---------- lifecycle ----------

function create(command: CreateCampaign, state: CampaignState): CampaignEvent[] {
  const d = command.data;
  const campaignId = validateCampaignId(d.campaignId);
  const title = validateText(d.title, 'title', CampaignLimits.titleMaxLength);
  const objective = isGiven(d.objective) ? validateText(d.objective, 'objective', CampaignLimits.objectiveMaxLength) : undefined;
  const themes = validateThemes(d.themes);
  const tags = validateTags(d.tags ?? []);
  const audiences = validateEnumList(d.audiences, AUDIENCES, 'audiences');
  const channels = validateEnumList(d.channels, CHANNELS, 'channels');
  const regions = validateRegions(d.regions);
  const startDate = validateDate(d.startDate, 'startDate');
  const endDate = validateDate(d.endDate, 'endDate');
  if (endDate < startDate) throw new ValidationError(`endDate ${endDate} is before startDate ${startDate}`, 'endDate');
  const targetReach = validateCount(d.targetReach, 'targetReach');
  const partnerIds = validateIds(d.partnerIds ?? [], 'partnerIds', CampaignLimits.maxPartners);
  const budgetLineId = isGiven(d.budgetLineId) ? validateId(d.budgetLineId, 'budgetLineId') : undefined;
  const estimatedCost = isGiven(d.estimatedCost) ? validateCost(d.estimatedCost) : undefined;

  if (exists(state)) throw new IllegalStateError(CampaignRules.createAlreadyExists, `campaign ${state.id} already exists`);
  requireActivePartners(partnerIds, d.knownPartners);
  return [
    {
      type: 'CampaignCreated',
      data: {
        campaignId,
        title,
        ...(objective !== undefined ? { objective } : {}),
        themes,
        tags,
        audiences,
        channels,
        regions,
        startDate,
        endDate,
        targetReach,
        partnerIds,
        ...(budgetLineId !== undefined ? { budgetLineId } : {}),
        ...(estimatedCost !== undefined ? { estimatedCost } : {}),
      },
    },
  ];
}

function plan(command: PlanCampaign, campaign: Campaign): CampaignEvent[] {
  if (campaign.status !== 'DRAFT') {
    throw new IllegalStateError(
      CampaignRules.planRequiresDraft,
      `only a draft campaign can be planned; ${campaign.id} is ${campaign.status}`,
    );
  }
  if (campaign.audiences.length === 0 || campaign.channels.length === 0) {
    throw new IllegalStateError(
      CampaignRules.planRequiresAudienceAndChannel,
      'a campaign needs at least one target audience and one channel to be planned',
    );
  }
  const planned: CampaignEvent = { type: 'CampaignPlanned', data: { campaignId: campaign.id } };
  if (!hasCost(campaign)) return [planned];
  if (campaign.budgetLineId === undefined || campaign.estimatedCost === undefined) {
    throw new IllegalStateError(
      CampaignRules.planCostRequiresBudgetLine,
      'a campaign with an estimated cost needs a budget line to be planned',
    );
  }
  return [
    planned,
    {
      type: 'FundingRequested',
      data: {
        // A fresh id from the metadata when the adapter gives one; otherwise one derived from the
        // stream, unique because a campaign requests funding at most once (it is planned once).
        requestId: command.metadata.ids?.[0] ?? `${campaign.id}.funding-request`,
        sourceType: 'CAMPAIGN',
        sourceId: campaign.id,
        budgetLineId: campaign.budgetLineId,
        amount: campaign.estimatedCost,
        purpose: campaign.title,
        requestedAt: command.metadata.now,
        regions: campaign.regions,
      },
    },
  ];
}

function launch(campaign: Campaign): CampaignEvent[] {
  if (campaign.status !== 'PLANNED') {
    throw new IllegalStateError(
      CampaignRules.launchRequiresPlanned,
      `only a planned campaign can be launched; ${campaign.id} is ${campaign.status}`,
    );
  }
  // A REJECTED campaign stays PLANNED and can never launch: it can only be cancelled (and a new
  // campaign created), which keeps one funding request per campaign.
  if (hasCost(campaign) && campaign.funding.status !== 'APPROVED') {
    throw new IllegalStateError(
      CampaignRules.launchRequiresFunding,
      `campaign ${campaign.id} has a cost and its funding is ${campaign.funding.status}, not APPROVED`,
    );
  }
  return [{ type: 'CampaignLaunched', data: { campaignId: campaign.id } }];
}

function complete(campaign: Campaign): CampaignEvent[] {
  if (campaign.status !== 'ACTIVE') {
    throw new IllegalStateError(
      CampaignRules.completeRequiresActive,
      `only an active campaign can be completed; ${campaign.id} is ${campaign.status}`,
    );
  }
  // Activities still SCHEDULED stay so: they were not held, and count for nothing.
  return [{ type: 'CampaignCompleted', data: { campaignId: campaign.id } }];
}

function cancel(command: CancelCampaign, state: CampaignState): CampaignEvent[] {
  const reason = validateReason(command.data.reason);
  // Cancelling twice is refused as `campaign.closed`, like any change to a closed campaign.
  const campaign = openCampaign(state, command.data.campaignId);
  const cancelled: CampaignEvent = { type: 'CampaignCancelled', data: { campaignId: campaign.id, reason } };
  const source = { sourceType: 'CAMPAIGN', sourceId: campaign.id, budgetLineId: campaign.budgetLineId } as const;
  const withdrawal = fundingWithdrawalOf(campaign.funding, source, reason, command.metadata.now);
  return withdrawal === undefined ? [cancelled] : [cancelled, { type: 'FundingWithdrawn', data: withdrawal }];
}

/**
 * Every partner a command newly names is registered and ACTIVE, as far as the adapter's lookup in
 * the local view tells. Unknown ids come first: naming a partner that does not exist is the
 * graver mistake.
 */
function requireActivePartners(partnerIds: readonly string[], known: readonly KnownPartner[] | null | undefined): void {
  const status = new Map((known ?? []).map((p) => [p.id, p.status]));
  const unknown = partnerIds.filter((id) => !status.has(id));
  if (unknown.length > 0) {
    throw new IllegalStateError(
      CampaignRules.partnerUnknown,
      `unknown partner${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: partnerships has not registered ${unknown.length > 1 ? 'them' : 'it'}`,
    );
  }
  const inactive = partnerIds.filter((id) => status.get(id) !== 'ACTIVE');
  if (inactive.length > 0) {
    throw new IllegalStateError(
      CampaignRules.partnerInactive,
      `partner${inactive.length > 1 ? 's' : ''} ${inactive.join(', ')} ${inactive.length > 1 ? 'are' : 'is'} inactive: a campaign names active partners only`,
    );
  }
}

// ---------- funding (system command, from finance's decisions) ----------

/**
 * Recorded only while the request is pending (REQUESTED). Everything else is a no-op, never a
 * refusal, because the command comes from a Kafka consumer that may see a decision again
 * (redelivery after a crash), late (after the campaign was cancelled), or for a campaign that
 * never asked (a commitment entered by hand in finance): refusing would only block the consumer.
 */
function recordFundingDecision(command: RecordFundingDecision, state: CampaignState): CampaignEvent[] {
  if (!exists(state) || isClosed(state)) return [];
  const outcome = fundingDecisionOutcome(state.funding, command.data);
  if (outcome === null) return [];
  if (outcome.decision === 'APPROVED') return [{ type: 'FundingApproved', data: { campaignId: state.id, ...outcome.data } }];
  return [{ type: 'FundingRejected', data: { campaignId: state.id, ...outcome.data, reason: validateReason(outcome.data.reason) } }];
}

/**
 * Maps a consumed finance event (`CommitmentApproved` / `CommitmentRejected`, upcast to its current
 * version) to the command for the campaign it is about; `null` for other event types and for
 * commitments of trainings or agreements. The consumer passes its own metadata: `now`, a system
 * actor, and the consumed event's id as `causationId`.
 * @throws EventSchemaViolationError when the decision's data breaks its schema
 */
export function recordFundingDecisionFrom(
  event: { readonly type: string; readonly data: unknown },
  metadata: CommandMetadata,
): RecordFundingDecision | null {
  const found = fundingDecisionFor('CAMPAIGN', event);
  return found === null ? null : { type: 'RecordFundingDecision', data: { campaignId: found.sourceId, ...found.decision }, metadata };
}

// ---------- activities ----------

function scheduleActivity(command: ScheduleActivity, state: CampaignState): CampaignEvent[] {
  const d = command.data;
  const kind = validateEnum(d.kind, ACTIVITY_KINDS, 'kind');
  const date = validateDate(d.date, 'date');
  const region = validateRegion(d.region, 'region');
  const venue = isGiven(d.venue) ? validateShortText(d.venue, 'venue', CampaignLimits.venueMaxLength) : undefined;
  const title = isGiven(d.title) ? validateText(d.title, 'title', CampaignLimits.titleMaxLength) : undefined;

  const campaign = openCampaign(state, d.campaignId);
  if (campaign.status !== 'PLANNED' && campaign.status !== 'ACTIVE') {
    throw new IllegalStateError(
      CampaignRules.activityCampaignNotOpen,
      `activities are scheduled in a planned or active campaign; ${campaign.id} is ${campaign.status}`,
    );
  }
  if (date < campaign.startDate || date > campaign.endDate) {
    throw new IllegalStateError(
      CampaignRules.activityDateOutsidePeriod,
      `activity date ${date} is outside the campaign period ${campaign.startDate} – ${campaign.endDate}`,
    );
  }
  // A national campaign runs anywhere; a regional one only in its own regions.
  if (!isNational(campaign) && !campaign.regions.includes(region)) {
    throw new IllegalStateError(
      CampaignRules.activityRegionOutsideCampaign,
      `activity region ${region} is not one of the campaign's regions (${campaign.regions.join(', ')})`,
    );
  }
  const activityId = command.metadata.ids?.[0];
  // Both are adapter bugs, not user errors: a plain Error surfaces as an internal error.
  if (activityId === undefined || activityId.length === 0) throw new Error('ScheduleActivity needs a fresh activity id in metadata.ids[0]');
  if (findActivity(campaign, activityId) !== undefined) throw new Error(`activity id ${activityId} is already used in ${campaign.id}`);
  return [
    {
      type: 'ActivityScheduled',
      data: {
        campaignId: campaign.id,
        activityId,
        kind,
        date,
        region,
        ...(venue !== undefined ? { venue } : {}),
        ...(title !== undefined ? { title } : {}),
      },
    },
  ];
}

function recordActivityHeld(command: RecordActivityHeld, state: CampaignState): CampaignEvent[] {
  const d = command.data;
  const participants = validateParticipants(d.participants);
  const mediaReach = isGiven(d.mediaReach) ? validateCount(d.mediaReach, 'mediaReach') : undefined;

  const campaign = openCampaign(state, d.campaignId);
  const activity = activityOf(campaign, d.activityId);
  if (campaign.status !== 'ACTIVE') {
    throw new IllegalStateError(
      CampaignRules.activityRequiresActiveCampaign,
      `activities are held in an active campaign; ${campaign.id} is ${campaign.status}`,
    );
  }
  requireScheduled(activity);
  return [
    {
      type: 'ActivityHeld',
      data: { campaignId: campaign.id, activityId: activity.id, participants, ...(mediaReach !== undefined ? { mediaReach } : {}) },
    },
  ];
}

function cancelActivity(command: CancelActivity, state: CampaignState): CampaignEvent[] {
  const reason = validateReason(command.data.reason);
  const campaign = openCampaign(state, command.data.campaignId);
  const activity = activityOf(campaign, command.data.activityId);
  requireScheduled(activity);
  return [{ type: 'ActivityCancelled', data: { campaignId: campaign.id, activityId: activity.id, reason } }];
}

function activityOf(campaign: Campaign, activityId: string): Activity {
  const activity = findActivity(campaign, activityId);
  if (activity === undefined) throw new NotFoundError('AwarenessActivity', activityId);
  return activity;
}

function requireScheduled(activity: Activity): void {
  if (activity.status !== 'SCHEDULED') {
    throw new IllegalStateError(CampaignRules.activityNotScheduled, `activity ${activity.id} is ${activity.status}, not SCHEDULED`);
  }
}

// ---------- input validation (ValidationError names the field) ----------

const CAMPAIGN_ID = new RegExp(`^${CAMPAIGN_ID_PREFIX}[A-Za-z0-9_-]{1,100}$`);

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

function validateCampaignId(value: unknown): string {
  if (typeof value !== 'string' || !CAMPAIGN_ID.test(value)) {
    throw new ValidationError(
      `campaignId must be ${CAMPAIGN_ID_PREFIX}<id> (letters, digits, - and _), got ${JSON.stringify(value)}`,
      'campaignId',
    );
  }
  return value;
}

function validateText(value: unknown, field: string, maxLength: number): LocalizedText {
  return validateLocalizedText(value, { field, maxLength });
}

function validateShortText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw new ValidationError(`${field} must be a non-blank string`, field);
  const text = value.trim();
  if ([...text].length > maxLength) throw new ValidationError(`${field} is longer than ${maxLength} characters`, field);
  return text;
}

function validateReason(value: unknown): string {
  return validateShortText(value, 'reason', CampaignLimits.reasonMaxLength);
}

function validateId(value: unknown, field: string): string {
  return validateShortText(value, field, CampaignLimits.idMaxLength);
}

function validateIds(values: unknown, field: string, max: number): string[] {
  const ids = validateArray(values, field, max).map((v) => validateId(v, field));
  rejectDuplicates(ids, field);
  return ids;
}

function validateArray(value: unknown, field: string, max?: number): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be a list`, field);
  if (max !== undefined && value.length > max) throw new ValidationError(`${field} has ${value.length} items, more than ${max}`, field);
  return value as unknown[];
}

function rejectDuplicates(values: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new ValidationError(`${field} lists ${v} twice`, field);
    seen.add(v);
  }
}

function validateEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, field);
  }
  return value as T;
}

function validateEnumList<T extends string>(values: unknown, allowed: readonly T[], field: string): T[] {
  const list = validateArray(values, field).map((v) => validateEnum(v, allowed, field));
  rejectDuplicates(list, field);
  return list;
}

function validateThemes(values: unknown): string[] {
  const themes = validateArray(values, 'themes', CampaignLimits.maxThemes).map((v) =>
    validateShortText(v, 'themes', CampaignLimits.themeMaxLength),
  );
  rejectDuplicates(themes, 'themes');
  return themes;
}

function validateTags(values: unknown): HumanRightsTag[] {
  const tags = validateArray(values, 'tags', CampaignLimits.maxTags).map((v) => {
    if (!isHumanRightsTag(v)) throw new ValidationError('each tag needs a known kind and a non-blank ref', 'tags');
    const ref = v.ref.trim();
    if ([...ref].length > CampaignLimits.idMaxLength)
      throw new ValidationError(`a tag ref is longer than ${CampaignLimits.idMaxLength}`, 'tags');
    return { kind: v.kind, ref };
  });
  rejectDuplicates(
    tags.map((t) => `${t.kind} ${t.ref}`),
    'tags',
  );
  return tags;
}

function validateRegion(value: unknown, field: string): Region {
  if (!isRegion(value)) throw new ValidationError(`${field} must be MA-01 … MA-12 or NATIONAL, got ${JSON.stringify(value)}`, field);
  return value;
}

/** At least one region, no duplicates; NATIONAL stands alone (it already covers every region). */
function validateRegions(values: unknown): Region[] {
  const regions = validateArray(values, 'regions').map((v) => validateRegion(v, 'regions'));
  if (regions.length === 0) throw new ValidationError('a campaign needs at least one region', 'regions');
  rejectDuplicates(regions, 'regions');
  if (regions.length > 1 && regions.includes('NATIONAL'))
    throw new ValidationError('NATIONAL cannot be combined with other regions', 'regions');
  return regions;
}

const DATE_SCHEMA = { type: 'string', format: 'date' } as const;

/** YYYY-MM-DD naming a real day; such dates compare correctly as strings. */
function validateDate(value: unknown, field: string): string {
  if (schemaIssues(DATE_SCHEMA, value).length > 0) {
    throw new ValidationError(`${field} must be a calendar date (YYYY-MM-DD), got ${JSON.stringify(value)}`, field);
  }
  return value as string;
}

function validateCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`${field} must be a non-negative integer, got ${JSON.stringify(value)}`, field);
  }
  return value;
}

function validateCost(value: { readonly amount: unknown; readonly currency?: string | null }): MoneyAmount {
  const { amount } = value;
  if (typeof amount !== 'bigint' || amount < 0n || amount > MAX_MINOR_UNITS) {
    throw new ValidationError('estimatedCost.amount must be a non-negative integer number of minor units', 'estimatedCost.amount');
  }
  const currency = value.currency ?? DEFAULT_CURRENCY;
  if (!isCurrencyCode(currency)) {
    throw new ValidationError(
      `estimatedCost.currency must be three capital letters, got ${JSON.stringify(currency)}`,
      'estimatedCost.currency',
    );
  }
  return toMoneyAmount({ amount, currency });
}

function validateParticipants(value: unknown): DisaggregatedCount {
  if (typeof value !== 'object' || value === null) throw new ValidationError('participants are required', 'participants');
  const p = value as DisaggregatedCount;
  const byAgeGroup: unknown = p.byAgeGroup;
  if (isGiven(byAgeGroup) && (!Array.isArray(byAgeGroup) || byAgeGroup.some((g) => typeof g !== 'object' || g === null))) {
    throw new ValidationError('participants.byAgeGroup must be a list of { ageGroup, count }', 'participants');
  }
  const count: DisaggregatedCount = {
    female: p.female,
    male: p.male,
    undisclosed: p.undisclosed,
    withDisability: p.withDisability,
    ...(isGiven(p.byAgeGroup) ? { byAgeGroup: p.byAgeGroup.map(({ ageGroup, count: n }) => ({ ageGroup, count: n })) } : {}),
  };
  const issues = disaggregatedCountIssues(count);
  if (issues.length > 0) throw new ValidationError(`participants: ${issues.join('; ')}`, 'participants');
  return count;
}

// ---------- the decider ----------

export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState> = {
  decide,
  evolve,
  initialState,
  stateSchemaVersion: CAMPAIGN_STATE_SCHEMA_VERSION,
};
