import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { EventStore } from '@hrp/event-store';
import { eventually, testInfra, type PlatformStack } from '@hrp/testing';

/** GraphQL documents and fixtures of the finance e2e tests (the funding process runs campaigns and finance together). */

export const MONEY = 'amount currency';
export const EXECUTION = `allocated { ${MONEY} } committed { ${MONEY} } spent { ${MONEY} } available { ${MONEY} } executionRate`;
export const LINE_FIELDS = `id programmeArea label budgetId fiscalYear ${EXECUTION}`;
export const BUDGET_FIELDS = `id version fiscalYear status currency total { ${MONEY} } committed { ${MONEY} } spent { ${MONEY} } available { ${MONEY} } executionRate
  thresholds { approval { ${MONEY} } procurement { ${MONEY} } }
  lines { ${LINE_FIELDS} } programmeAreas { programmeArea ${EXECUTION} }`;
export const COMMITMENT_FIELDS = `id version status amount { ${MONEY} } sourceType sourceId budgetLineId regions requestId quotes purpose { fr }
  requestedAt decidedAt rejectionReason releaseReason spent { ${MONEY} } remaining { ${MONEY} }
  expenses { id amount { ${MONEY} } supplier invoiceRef date } budgetLine { id allocated { ${MONEY} } committed { ${MONEY} } }`;

export const DRAFT_BUDGET = `mutation($input: DraftBudgetInput!) { draftBudget(input: $input) { position budget { ${BUDGET_FIELDS} } } }`;
export const APPROVE_BUDGET = `mutation($id: ID!, $v: Int) { approveBudget(id: $id, expectedVersion: $v) { position budget { ${BUDGET_FIELDS} } } }`;
export const CLOSE_BUDGET = `mutation($id: ID!, $v: Int) { closeBudget(id: $id, expectedVersion: $v) { position budget { ${BUDGET_FIELDS} } } }`;
export const SET_THRESHOLDS = `mutation($id: ID!, $t: ThresholdsInput!, $v: Int) { setBudgetThresholds(id: $id, thresholds: $t, expectedVersion: $v) { position budget { ${BUDGET_FIELDS} } } }`;
export const REALLOCATE = `mutation($b: ID!, $from: ID!, $to: ID!, $amount: MoneyInput!, $reason: String!, $v: Int) {
  reallocateFunds(budgetId: $b, fromLineId: $from, toLineId: $to, amount: $amount, reason: $reason, expectedVersion: $v) { position budget { ${BUDGET_FIELDS} } } }`;
export const REQUEST = `mutation($input: RequestCommitmentInput!) { requestCommitment(input: $input) { position commitment { ${COMMITMENT_FIELDS} } } }`;
export const CITE = `mutation($id: ID!, $q: [String!]!, $v: Int) { citeQuotes(commitmentId: $id, quotes: $q, expectedVersion: $v) { position commitment { ${COMMITMENT_FIELDS} } } }`;
export const APPROVE = `mutation($id: ID!, $v: Int) { approveCommitment(id: $id, expectedVersion: $v) { position commitment { ${COMMITMENT_FIELDS} } } }`;
export const REJECT = `mutation($id: ID!, $reason: String!, $v: Int) { rejectCommitment(id: $id, reason: $reason, expectedVersion: $v) { position commitment { ${COMMITMENT_FIELDS} } } }`;
export const EXPENSE = `mutation($id: ID!, $input: ExpenseInput!, $v: Int) { recordExpense(commitmentId: $id, input: $input, expectedVersion: $v) { position commitment { ${COMMITMENT_FIELDS} } } }`;
export const BUDGET = `query($year: Int!, $min: String) { budget(fiscalYear: $year, minPosition: $min) { ${BUDGET_FIELDS} } }`;
export const COMMITMENT = `query($id: ID!, $min: String) { commitment(id: $id, minPosition: $min) { ${COMMITMENT_FIELDS} } }`;
export const COMMITMENTS = `query($filter: CommitmentFilter, $first: Int, $after: String, $min: String) {
  commitments(filter: $filter, first: $first, after: $after, minPosition: $min) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${COMMITMENT_FIELDS} } } } }`;

/** The campaign fields the funding tests read (campaigns' own tests have the full set). */
export const CAMPAIGN_FIELDS =
  'id version status fundingStatus fundingRejectionReason cancellationReason regions budgetLineId estimatedCost { amount currency }';
export const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { position campaign { ${CAMPAIGN_FIELDS} } } }`;

/** A valid campaign input in MA-06; override what a test is about. */
export function campaignInput(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { fr: 'Les droits de l’enfant à l’école' },
    themes: ['CRC'],
    audiences: ['YOUTH'],
    channels: ['EVENTS'],
    regions: ['MA-06'],
    startDate: '2026-03-01',
    endDate: '2026-06-30',
    targetReach: 5000,
    ...over,
  };
}

export const mad = (amount: bigint | number | string) => ({ amount: String(amount), currency: 'MAD' });

/** A budget of `year` with an AWARENESS and an OPERATIONS line (amounts in centimes). */
export function budgetInput(year: number, awareness: bigint | number = 100_000_000, operations: bigint | number = 50_000_000) {
  return {
    fiscalYear: year,
    lines: [
      { programmeArea: 'AWARENESS', label: 'Campagnes nationales', allocated: mad(awareness) },
      { programmeArea: 'OPERATIONS', allocated: mad(operations) },
    ],
  };
}

export const lineOf = (year: number, n: number) => `budget-${year}.line-${n}`;

/** The commitment finance opened for a source (a campaign), once its request was consumed. */
export async function commitmentFor(stack: PlatformStack, token: string, sourceId: string, status?: string) {
  let found: Record<string, unknown> | undefined;
  await eventually(
    `the commitment of ${sourceId}${status ? ` ${status}` : ''}`,
    async () => {
      const r = await stack.gql(token, COMMITMENTS, { filter: { sourceId } });
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      const node = (r.data?.commitments?.edges as { node: Record<string, unknown> }[] | undefined)?.[0]?.node;
      if (node && (!status || node.status === status)) found = node;
      return found !== undefined;
    },
    { timeoutMs: 30000, intervalMs: 250 },
  );
  return found!;
}

/** The budget of `year` drafted by `officer` and approved by `director` (AWARENESS line-1 with `awareness` centimes). */
export async function approvedBudget(stack: PlatformStack, officer: string, director: string, year: number, awareness: bigint | number) {
  const drafted = await stack.gql(officer, DRAFT_BUDGET, { input: budgetInput(year, awareness) });
  if (drafted.errors) throw new Error(`draftBudget ${year}: ${JSON.stringify(drafted.errors)}`);
  const approved = await stack.gql(director, APPROVE_BUDGET, { id: `budget-${year}`, v: 1 });
  if (approved.errors) throw new Error(`approveBudget ${year}: ${JSON.stringify(approved.errors)}`);
  return approved.data!.approveBudget.budget as { id: string; lines: { id: string }[] };
}

/** A commitment requested in finance (no producer behind it) on `lineId`; its id and version. */
export async function requestedCommitment(stack: PlatformStack, token: string, lineId: string, amount: bigint | number, sourceId: string) {
  const r = await stack.gql(token, REQUEST, {
    input: { budgetLineId: lineId, amount: mad(amount), purpose: { fr: `Demande ${sourceId}` }, sourceType: 'CAMPAIGN', sourceId },
  });
  if (r.errors) throw new Error(`requestCommitment ${sourceId}: ${JSON.stringify(r.errors)}`);
  const c = r.data!.requestCommitment.commitment as { id: string; version: number; status: string };
  return c;
}

/** One line of the budget of `year` as the execution view has it (at `min` or later when given). */
export async function budgetLine(stack: PlatformStack, token: string, year: number, lineId: string, min?: string) {
  const r = await stack.gql(token, BUDGET, { year, min });
  if (r.errors) throw new Error(`budget ${year}: ${JSON.stringify(r.errors)}`);
  const found = (r.data!.budget.lines as { id: string }[]).find((l) => l.id === lineId);
  if (!found) throw new Error(`no line ${lineId} in budget ${year}`);
  return found as { id: string; committed: { amount: string }; available: { amount: string }; spent: { amount: string } };
}

/** Waits until finance's own reactions (the funding process) have handled every finance event published so far. */
export const fundingProcessIdle = (stack: PlatformStack, timeoutMs = 30000) =>
  eventually('the funding process has consumed every finance event', () => stack.consumedAll('finance', 'funding-process', 'finance'), {
    timeoutMs,
    intervalMs: 250,
  });

/** How many events of each type a stream holds, straight from the store. */
export async function eventCounts(stack: PlatformStack, context: string, streamId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const e of await stack.readStream(context, streamId)) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
}

/**
 * Counts the events a context of the stack stored, all streams (e.g. to show a refused
 * `requestCommitment`, whose stream id is drawn by the service, wrote nothing). `close` in afterAll.
 */
export async function eventCounter(stack: PlatformStack, context = 'finance') {
  const conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_${context}` }).asPromise();
  const commits = conn.db!.collection('es_commits');
  return {
    async count(): Promise<number> {
      const all = await commits.find({}, { projection: { events: 1 } }).toArray();
      return all.reduce((n, c) => n + ((c.events as unknown[] | undefined)?.length ?? 0), 0);
    },
    close: () => conn.close(),
  };
}

/** The version of a stream of `context` (0 when it has no event), straight from the store. */
export async function streamVersion(stack: PlatformStack, streamId: string, context = 'finance'): Promise<number> {
  return (await stack.readStream(context, streamId)).at(-1)?.streamVersion ?? 0;
}

/**
 * Appends events to a stream of a stopped service's store, as that service would have before
 * crashing: the first step of a two-step decision is there, the second is not. The relay
 * publishes them once the service is back.
 */
export async function appendAsBeforeACrash(
  stack: PlatformStack,
  context: string,
  streamId: string,
  events: readonly { type: string; data: Record<string, unknown> }[],
): Promise<void> {
  const conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: `${stack.iso.dbName}_${context}` }).asPromise();
  try {
    const store = new EventStore(conn);
    await store.init();
    const version = (await stack.readStream(context, streamId)).length;
    await store.append(streamId, version === 0 ? 'no-stream' : version, events, {
      time: new Date().toISOString(),
      actor: { subject: 'test-crash', username: 'director' },
      correlationId: randomUUID(),
    });
  } finally {
    await conn.close();
  }
}
