import * as path from 'node:path';
import { defineAggregate, defineContext, defineReaction } from '@hrp/context-kit';
import { EventRegistry } from '@hrp/contracts';
import type { UserAgreementCommand } from './agreement/agreement.decider';
import { agreementDecider, recordFundingDecisionFrom } from './agreement/agreement.decider';
import { exists as agreementExists } from './agreement/agreement.events';
import { expiryCheck } from './agreement/agreement.follow-up';
import { authorize as authorizeAgreement } from './agreement/agreement.policy';
import { agreementEventDefinitions } from './agreement/agreement.registry';
import { AGREEMENT_VIEW, agreementViewHandlers } from './agreement/projections/agreement-view.projection';
import type { PartnerCommand } from './partner/partner.decider';
import { partnerDecider } from './partner/partner.decider';
import { exists as partnerExists } from './partner/partner.events';
import { authorize as authorizePartner } from './partner/partner.policy';
import { PARTNERSHIPS_CONTEXT, partnerEventDefinitions } from './partner/partner.registry';
import { PARTNER_VIEW, partnerViewHandlers } from './partner/projections/partner-view.projection';

/** Every event type of partnerships, partners' and agreements', in one registry (one context, one topic). */
export const partnershipsEventRegistry = [...partnerEventDefinitions, ...agreementEventDefinitions].reduce(
  (r, d) => r.register(d),
  new EventRegistry(PARTNERSHIPS_CONTEXT),
);

/** A partner (`partner-<uuid>`): who they are, their contacts (encrypted), ACTIVE or INACTIVE. */
export const partnerAggregate = defineAggregate({
  name: 'Partner',
  streamPrefix: 'partner-',
  decider: partnerDecider,
  streamOf: (command) => command.data.partnerId,
  creates: ['RegisterPartner'] as PartnerCommand['type'][],
  exists: partnerExists,
  authorize: (principal, command: PartnerCommand, state) => authorizePartner(principal, command, state),
  snapshotEvery: 100,
});

/** An agreement (`agreement-<uuid>`): its period, contributions, funding and follow-up. */
export const agreementAggregate = defineAggregate({
  name: 'Agreement',
  streamPrefix: 'agreement-',
  decider: agreementDecider,
  streamOf: (command) => command.data.agreementId,
  creates: ['DraftAgreement'] as UserAgreementCommand['type'][],
  exists: agreementExists,
  authorize: (principal, command: UserAgreementCommand, state) => authorizeAgreement(principal, command, state),
  snapshotEvery: 100,
});

/** Finance's funding decisions on agreements become the agreement's RecordFundingDecision. */
export const fundingDecisions = defineReaction({
  name: 'funding-decisions',
  from: ['finance'],
  actor: { subject: 'system:finance-events', username: 'finance-events' },
  aggregate: agreementAggregate,
  on: { CommitmentApproved: recordFundingDecisionFrom, CommitmentRejected: recordFundingDecisionFrom },
});

/** The partnerships context: partners, agreements with follow-up, contributions. */
export const partnershipsContext = defineContext({
  name: PARTNERSHIPS_CONTEXT,
  registry: partnershipsEventRegistry,
  aggregates: [partnerAggregate, agreementAggregate],
  sdl: [path.join(__dirname, 'partnerships.graphql')],
  projections: [
    {
      name: PARTNER_VIEW,
      handlers: partnerViewHandlers,
      list: { sortKey: 'registeredPosition', indexed: ['status', 'type', 'country', 'searchTerms'] },
    },
    {
      name: AGREEMENT_VIEW,
      handlers: agreementViewHandlers,
      // 2: signedYear (contributions mobilised per year). 3: tagKeys (TaggedWork.agreements).
      revision: 3,
      list: { sortKey: 'draftedPosition', indexed: ['partnerId', 'status', 'signedYear', 'endDate', 'tagKeys'] },
    },
  ],
  reactions: [fundingDecisions],
  jobs: [expiryCheck(agreementAggregate)],
});
