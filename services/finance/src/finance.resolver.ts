import { randomUUID } from 'node:crypto';
import { Args, Context, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import type { mongo } from 'mongoose';
import { CurrentPrincipal, ReferencePrincipal, type Principal } from '@hrp/auth';
import { CommandService, type CommandInput, ContextRuntime, ReadModels } from '@hrp/context-kit';
import { isRegion } from '@hrp/contracts';
import { graphQLError } from '@hrp/graphql-kit';
import { VERSION_FIELD } from '@hrp/messaging';
import type { BudgetLineInput, ThresholdsInput, UserBudgetCommand } from './budget/budget.decider';
import type { Budget, BudgetState } from './budget/budget.events';
import { budgetIdOfLine, budgetLineId, budgetStreamId } from './budget/budget.events';
import { BUDGET_VIEW, type BudgetViewDoc } from './budget/projections/budget-view.projection';
import type { LocalizedTextInput, MoneyInput } from './commitment/commitment.decider';
import type { Commitment, CommitmentState } from './commitment/commitment.events';
import { commitmentStreamId } from './commitment/commitment.events';
import { COMMITMENT_VIEW, type CommitmentViewDoc } from './commitment/projections/commitment-view.projection';
import { budgetAggregate, commitmentAggregate } from './finance.context';
import {
  budgetFromState,
  budgetFromView,
  commitmentFromState,
  commitmentFromView,
  type BudgetGraph,
  type BudgetLineGraph,
  type CommitmentGraph,
} from './finance.graph';
import { mayReadCommitment, readScope, type ReadScope } from './finance.read-policy';
import { FundingDesk } from './funding/funding.desk';
import type { FundingSourceType } from '@hrp/contracts';

interface DraftBudgetInput {
  fiscalYear: number;
  currency?: string | null;
  lines: BudgetLineInput[];
  thresholds?: ThresholdsInput | null;
}
interface RequestCommitmentInput {
  budgetLineId: string;
  amount: MoneyInput;
  purpose: LocalizedTextInput;
  sourceType: FundingSourceType;
  sourceId: string;
  regions?: string[] | null;
  quotes?: string[] | null;
}
interface ExpenseInput {
  amount: MoneyInput;
  supplier: string;
  invoiceRef: string;
  date: string;
}
interface CommitmentFilter {
  status?: string[] | null;
  budgetLineId?: string | null;
  sourceId?: string | null;
  region?: string | null;
}

/** The caller's read scope, or FORBIDDEN. */
function scopeOf(p: Principal): Exclude<ReadScope, { kind: 'none' }> {
  const scope = readScope(p);
  if (scope.kind === 'none') throw graphQLError('FORBIDDEN', scope.reason);
  return scope;
}

/** GraphQL adapter of finance: input → command (the kit, or the funding desk for two-step ones); queries from the read models. */
@Resolver()
export class FinanceResolver {
  constructor(
    private readonly commands: CommandService,
    private readonly views: ReadModels,
    private readonly runtime: ContextRuntime,
    private readonly desk: FundingDesk,
  ) {}

  // ---------------------------------------------------------------- budgets

  @Query('budget')
  async budget(
    @CurrentPrincipal() p: Principal,
    @Args('fiscalYear') fiscalYear: number,
    @Args('minPosition') minPosition?: string | null,
  ): Promise<BudgetGraph | null> {
    const scope = scopeOf(p);
    const visible = await this.visibleLines(scope);
    return this.views.entity<BudgetViewDoc, BudgetGraph, never, never, BudgetState>(BUDGET_VIEW, budgetStreamId(fiscalYear), {
      minPosition,
      aggregate: budgetAggregate as never,
      fromView: (doc) => budgetFromView(doc, visible),
      fromState: (state, version) => budgetFromState(state as Budget, version, visible),
    });
  }

  /** A regional officer's lines: those of commitments whose source activity is in their region. */
  private async visibleLines(scope: Exclude<ReadScope, { kind: 'none' }>): Promise<((lineId: string) => boolean) | undefined> {
    if (scope.kind === 'all') return undefined;
    const col = (await this.runtime.listCollection(COMMITMENT_VIEW)) as unknown as mongo.Collection<CommitmentViewDoc>;
    const lines = new Set(
      (
        await col
          .find({ regions: scope.region, [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<CommitmentViewDoc>, {
            projection: { budgetLineId: 1 },
          })
          .toArray()
      ).map((d) => d.budgetLineId),
    );
    return (lineId) => lines.has(lineId);
  }

  @Mutation('draftBudget')
  draft(@CurrentPrincipal() p: Principal, @Args('input') input: DraftBudgetInput) {
    const budgetId = budgetStreamId(input.fiscalYear);
    const ids = (input.lines ?? []).map((_, i) => budgetLineId(budgetId, i + 1));
    return this.budgetCommand(p, { type: 'DraftBudget', data: { budgetId, ...input } }, undefined, ids);
  }

  @Mutation('approveBudget')
  approveBudget(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.budgetCommand(p, { type: 'ApproveBudget', data: { budgetId: id } }, v);
  }

  @Mutation('closeBudget')
  closeBudget(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.budgetCommand(p, { type: 'CloseBudget', data: { budgetId: id } }, v);
  }

  @Mutation('setBudgetThresholds')
  setThresholds(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('thresholds') thresholds: ThresholdsInput,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.budgetCommand(p, { type: 'SetBudgetThresholds', data: { budgetId: id, thresholds } }, v);
  }

  @Mutation('reallocateFunds')
  reallocate(
    @CurrentPrincipal() p: Principal,
    @Args('budgetId') budgetId: string,
    @Args('fromLineId') fromLineId: string,
    @Args('toLineId') toLineId: string,
    @Args('amount') amount: MoneyInput,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.budgetCommand(p, { type: 'ReallocateFunds', data: { budgetId, fromLineId, toLineId, amount, reason } }, v, [
      `reallocation-${randomUUID()}`,
    ]);
  }

  private async budgetCommand(p: Principal, command: CommandInput<UserBudgetCommand>, expectedVersion?: number | null, ids?: string[]) {
    const r = await this.commands.execute(budgetAggregate, p, command, { expectedVersion, ...(ids ? { ids } : {}) });
    return { budget: budgetFromState(r.state as Budget, r.version), position: r.position };
  }

  // ---------------------------------------------------------------- commitments

  @Query('commitment')
  async commitment(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('minPosition') minPosition?: string | null,
  ): Promise<CommitmentGraph | null> {
    const scope = scopeOf(p);
    const c = await this.views.entity<CommitmentViewDoc, CommitmentGraph, never, never, CommitmentState>(COMMITMENT_VIEW, id, {
      minPosition,
      aggregate: commitmentAggregate as never,
      fromView: commitmentFromView,
      fromState: (state, version) => commitmentFromState(state as Commitment, version),
    });
    if (c && !mayReadCommitment(scope, c.regions))
      throw graphQLError('FORBIDDEN', `commitment ${id} funds no activity of region ${String((scope as { region?: string }).region)}`);
    return c;
  }

  @Query('commitments')
  async commitments(
    @CurrentPrincipal() p: Principal,
    @Args('filter') filter: CommitmentFilter | null,
    @Args('first') first: number | null,
    @Args('after') after: string | null,
    @Args('minPosition') minPosition: string | null,
  ) {
    const scope = scopeOf(p);
    const where = commitmentFilter(filter, scope);
    const page = await this.views.page<CommitmentViewDoc>(COMMITMENT_VIEW, { where, first, after, minPosition });
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: commitmentFromView(e.node) })) };
  }

  @Mutation('requestCommitment')
  async request(@CurrentPrincipal() p: Principal, @Args('input') input: RequestCommitmentInput) {
    const verdict = commitmentAggregate.authorize(p, { type: 'RequestCommitment' } as never, undefined);
    if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
    const budgetId = budgetIdOfLine(input.budgetLineId);
    if (budgetId === null)
      throw graphQLError('BAD_USER_INPUT', `${input.budgetLineId} is not a budget line id (budget-<year>.line-<n>)`, {
        field: 'input.budgetLineId',
      });
    await this.desk.checkLine(budgetId, input.budgetLineId, input.amount?.currency);
    const commitmentId = commitmentStreamId(budgetId, randomUUID());
    const r = await this.commands.execute(commitmentAggregate, p, {
      type: 'RequestCommitment',
      data: { ...input, commitmentId, budgetId },
    });
    return this.commitmentPayload(r);
  }

  @Mutation('citeQuotes')
  async citeQuotes(
    @CurrentPrincipal() p: Principal,
    @Args('commitmentId') commitmentId: string,
    @Args('quotes') quotes: string[],
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.commitmentPayload(
      await this.commands.execute(commitmentAggregate, p, { type: 'CiteQuotes', data: { commitmentId, quotes } }, { expectedVersion: v }),
    );
  }

  @Mutation('approveCommitment')
  async approve(@CurrentPrincipal() p: Principal, @Args('id') id: string, @Args('expectedVersion') v?: number | null) {
    return this.commitmentPayload(await this.desk.approve(p, id, v));
  }

  @Mutation('rejectCommitment')
  async reject(
    @CurrentPrincipal() p: Principal,
    @Args('id') id: string,
    @Args('reason') reason: string,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.commitmentPayload(await this.desk.reject(p, id, reason, v));
  }

  @Mutation('recordExpense')
  async recordExpense(
    @CurrentPrincipal() p: Principal,
    @Args('commitmentId') commitmentId: string,
    @Args('input') input: ExpenseInput,
    @Args('expectedVersion') v?: number | null,
  ) {
    return this.commitmentPayload(await this.desk.recordExpense(p, commitmentId, input, `expense-${randomUUID()}`, v));
  }

  private commitmentPayload(r: { state: unknown; version: number; position: string | null }) {
    return { commitment: commitmentFromState(r.state as Commitment, r.version), position: r.position };
  }
}

/** The lines read for one request, by budget: a page of commitments on one line reads its budget once. */
const linesOfRequest = new WeakMap<object, Map<number, Promise<BudgetGraph | null>>>();

/** The BudgetLine entity: for Commitment.budgetLine here, and the campaigns subgraph's Campaign.budgetLine. */
@Resolver('BudgetLine')
export class BudgetLineResolver {
  constructor(
    private readonly finance: FinanceResolver,
    private readonly principals: ReferencePrincipal,
  ) {}

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { id: string }, context: { req?: never }): Promise<BudgetLineGraph | null> {
    return this.line(ref.id, await this.principals.of(context), context);
  }

  /**
   * A line as `p` may read it: null when it does not exist; FORBIDDEN for a regional officer when
   * it funds nothing of their region.
   */
  async line(lineId: string, p: Principal, context?: object): Promise<BudgetLineGraph | null> {
    const budgetId = budgetIdOfLine(lineId);
    if (budgetId === null) return null;
    const year = Number(budgetId.slice('budget-'.length));
    let cache = context ? linesOfRequest.get(context) : undefined;
    if (context && !cache) linesOfRequest.set(context, (cache = new Map<number, Promise<BudgetGraph | null>>()));
    let budget = cache?.get(year);
    if (!budget) {
      budget = this.finance.budget(p, year);
      cache?.set(year, budget);
    }
    const line = (await budget)?.lines.find((l) => l.id === lineId) ?? null;
    if (
      line === null &&
      readScope(p).kind === 'region' &&
      (await this.finance.budget({ ...p, roles: ['viewer'] }, year))?.lines.some((l) => l.id === lineId)
    )
      throw graphQLError('FORBIDDEN', `budget line ${lineId} funds no activity of region ${p.region ?? ''}`);
    return line;
  }
}

/** Commitment.budgetLine: the line the commitment is on, with its figures. */
@Resolver('Commitment')
export class CommitmentFieldsResolver {
  constructor(
    private readonly lines: BudgetLineResolver,
    private readonly principals: ReferencePrincipal,
  ) {}

  @ResolveField('budgetLine')
  async budgetLine(@Parent() c: CommitmentGraph, @Context() context: { req?: never }) {
    const line = await this.lines.line(c.budgetLineId, await this.principals.of(context), context);
    if (line === null) throw graphQLError('NOT_FOUND', `budget line ${c.budgetLineId} of commitment ${c.id} does not exist`);
    return line;
  }
}

/** Builds the store filter from typed, checked values only; a regional officer's scope is always applied. */
export function commitmentFilter(
  f: CommitmentFilter | null | undefined,
  scope: Exclude<ReadScope, { kind: 'none' }>,
): mongo.Filter<CommitmentViewDoc> {
  const q: Record<string, unknown> = {};
  if (f?.status?.length) q.status = f.status.length === 1 ? String(f.status[0]) : { $in: f.status.map(String) };
  for (const k of ['budgetLineId', 'sourceId'] as const) {
    const v = f?.[k];
    if (v == null) continue;
    if (typeof v !== 'string' || v.length > 200)
      throw graphQLError('BAD_USER_INPUT', `${k} is at most 200 characters`, { field: `filter.${k}` });
    q[k] = v;
  }
  if (f?.region != null) {
    if (!isRegion(f.region)) throw graphQLError('BAD_USER_INPUT', `unknown region "${f.region}"`, { field: 'filter.region' });
    if (scope.kind === 'region' && f.region !== scope.region)
      throw graphQLError('FORBIDDEN', `a regional officer of ${scope.region} reads only its region`);
    q.regions = f.region;
  }
  if (scope.kind === 'region') q.regions = scope.region;
  return q;
}
