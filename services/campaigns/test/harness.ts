import { startContextStack, type ContextStack, type ContextStackOptions } from '@hrp/testing';

/** The campaigns slice as clients see it: the built service and gateway (libs/testing's context stack). */
export interface CampaignsStack extends ContextStack {
  /** Publishes a finance integration event as finance will (CloudEvents on hrp.finance.events). */
  publishFinanceEvent(type: 'CommitmentApproved' | 'CommitmentRejected', data: Record<string, unknown>): Promise<void>;
  /** Registers a partner as partnerships would (PartnerRegistered on hrp.partnerships.events): campaigns may then name it. */
  registerPartner(partnerId: string): Promise<void>;
}

export async function startCampaignsStack(basePort: number, opts: ContextStackOptions = {}): Promise<CampaignsStack> {
  const stack = await startContextStack('campaigns', basePort, opts);
  return {
    ...stack,
    publishFinanceEvent: (type, data) => stack.publishEvent('finance', `commitment-${String(data.commitmentId)}`, type, data),
    registerPartner: (partnerId) =>
      stack.publishEvent('partnerships', partnerId, 'PartnerRegistered', {
        partnerId,
        name: { fr: `Partenaire ${partnerId}` },
        type: 'NGO',
        country: 'MA',
        contacts: [],
      }),
  };
}

export const CAMPAIGN_FIELDS = `
  id version status title { fr ar en zgh } objective { fr } themes tags { kind ref } audiences channels regions
  startDate endDate targetReach estimatedCost { amount currency } fundingStatus cancellationReason
  activities { id kind date region venue status participants { total female male undisclosed withDisability } mediaReach }
  participants { total female male undisclosed withDisability } reach partners { id } budgetLine { id }`;

export const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { position campaign { ${CAMPAIGN_FIELDS} } } }`;

/** A valid campaign input; override what a test is about. */
export function campaignInput(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { fr: 'Les droits de l’enfant à l’école', ar: 'حقوق الطفل في المدرسة', en: 'Children’s rights at school' },
    objective: { fr: 'Faire connaître la CRC aux élèves' },
    themes: ['CRC', 'education'],
    tags: [{ kind: 'SDG_TARGET', ref: '16.10' }],
    audiences: ['YOUTH', 'CHILDREN'],
    channels: ['RADIO', 'EVENTS'],
    regions: ['MA-06'],
    startDate: '2026-03-01',
    endDate: '2026-06-30',
    targetReach: 5000,
    ...over,
  };
}
