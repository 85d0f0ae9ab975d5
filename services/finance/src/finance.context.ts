import * as path from 'node:path';
import { defineAggregate, defineContext, defineReaction } from '@hrp/context-kit';
import { EventRegistry } from '@hrp/contracts';
import type { UserBudgetCommand } from './budget/budget.decider';
import { budgetDecider } from './budget/budget.decider';
import { exists as budgetExists } from './budget/budget.events';
import { authorize as authorizeBudget } from './budget/budget.policy';
import { FINANCE_CONTEXT, budgetEventDefinitions } from './budget/budget.registry';
import { BUDGET_VIEW, budgetViewHandlers } from './budget/projections/budget-view.projection';
import type { UserCommitmentCommand } from './commitment/commitment.decider';
import { commitmentDecider } from './commitment/commitment.decider';
import { exists as commitmentExists } from './commitment/commitment.events';
import { authorize as authorizeCommitment } from './commitment/commitment.authorize';
import { commitmentEventDefinitions } from './commitment/commitment.registry';
import { COMMITMENT_VIEW, commitmentViewHandlers } from './commitment/projections/commitment-view.projection';
import { followers, fromProducers } from './funding/funding.process';

/** Every event type of finance, budget's and commitment's, in one registry (one context, one topic). */
export const financeEventRegistry = [...budgetEventDefinitions, ...commitmentEventDefinitions].reduce(
  (r, d) => r.register(d),
  new EventRegistry(FINANCE_CONTEXT),
);

/** A budget per fiscal year (`budget-<year>`): its lines, thresholds and the year's money. */
export const budgetAggregate = defineAggregate({
  name: 'Budget',
  streamPrefix: 'budget-',
  decider: budgetDecider,
  streamOf: (command) => command.data.budgetId,
  creates: ['DraftBudget'] as UserBudgetCommand['type'][],
  exists: budgetExists,
  authorize: (principal, command: UserBudgetCommand, state) => authorizeBudget(principal, command, state),
  snapshotEvery: 100,
});

/** A commitment (engagement de dépense) on a budget line, with its decision and expenses. */
export const commitmentAggregate = defineAggregate({
  name: 'Commitment',
  streamPrefix: 'commitment-',
  decider: commitmentDecider,
  streamOf: (command) => command.data.commitmentId,
  creates: ['RequestCommitment'] as UserCommitmentCommand['type'][],
  exists: commitmentExists,
  authorize: (principal, command: UserCommitmentCommand, state) => authorizeCommitment(principal, command, state),
  snapshotEvery: 100,
});

/** Commitment requests and withdrawals of the activities that ask for funding, in their order. */
export const fundingRequests = defineReaction({
  name: 'funding-requests',
  from: ['campaigns', 'training', 'partnerships'],
  actor: { subject: 'system:funding-requests', username: 'funding-requests' },
  aggregate: commitmentAggregate,
  routes: { ReleaseFunds: budgetAggregate },
  on: fromProducers,
});

/** The follower steps of finance's own process (funding.process.ts): what a crash cannot leave half done. */
export const fundingProcess = defineReaction({
  name: 'funding-process',
  from: [FINANCE_CONTEXT],
  actor: { subject: 'system:funding-process', username: 'funding-process' },
  aggregate: commitmentAggregate,
  routes: { ReleaseFunds: budgetAggregate },
  on: followers,
});

/** The finance context: budgets, commitments and expenses, and finance's half of the funding process. */
export const financeContext = defineContext({
  name: FINANCE_CONTEXT,
  registry: financeEventRegistry,
  aggregates: [budgetAggregate, commitmentAggregate],
  sdl: [path.join(__dirname, 'finance.graphql')],
  projections: [
    { name: BUDGET_VIEW, handlers: budgetViewHandlers },
    {
      name: COMMITMENT_VIEW,
      handlers: commitmentViewHandlers,
      list: { sortKey: 'requestedPosition', indexed: ['status', 'regions', 'budgetLineId', 'sourceId'] },
    },
  ],
  reactions: [fundingRequests, fundingProcess],
});
