import { formatMinorUnits, parseMinorUnits } from '@hrp/contracts';
import type { Budget } from './budget/budget.events';
import type { BudgetFigures, BudgetViewDoc, Figures, LineFigures } from './budget/projections/budget-view.projection';
import { available, budgetFigures, executionRate, fieldKey, money } from './budget/projections/budget-view.projection';
import type { Commitment } from './commitment/commitment.events';
import type { CommitmentViewDoc } from './commitment/projections/commitment-view.projection';

/*
 * State and read-model documents → the GraphQL objects of finance.graphql (field names as there).
 * Money is formatted from BigInt sums: exact at any size the domain accepts.
 */

type Money = { amount: string; currency: string };

export interface ExecutionGraph {
  allocated: Money;
  committed: Money;
  spent: Money;
  available: Money;
  executionRate: number;
}

export interface BudgetLineGraph extends ExecutionGraph {
  id: string;
  programmeArea: string;
  label: string | null;
  budgetId: string;
  fiscalYear: number;
}

export interface BudgetGraph {
  id: string;
  version: number;
  fiscalYear: number;
  status: string;
  currency: string;
  thresholds: Budget['thresholds'];
  total: Money;
  committed: Money;
  spent: Money;
  available: Money;
  executionRate: number;
  lines: BudgetLineGraph[];
  programmeAreas: (ExecutionGraph & { programmeArea: string })[];
}

function execution(f: Figures, currency: string): ExecutionGraph {
  return {
    allocated: money(f.allocated, currency),
    committed: money(f.committed, currency),
    spent: money(f.spent, currency),
    available: money(available(f), currency),
    executionRate: executionRate(f),
  };
}

interface BudgetHeader {
  id: string;
  version: number;
  fiscalYear: number;
  status: string;
  currency: string;
  thresholds: Budget['thresholds'];
}

/**
 * The budget, its lines and areas; `visible` limits the lines (a regional officer's): the totals
 * are then those of the visible lines.
 */
export function budgetGraph(header: BudgetHeader, figures: BudgetFigures, visible?: (lineId: string) => boolean): BudgetGraph {
  const c = header.currency;
  const lines = figures.lines.filter((l) => visible?.(l.id) ?? true);
  const scoped = visible ? regroup(lines) : figures;
  const line = (l: LineFigures): BudgetLineGraph => ({
    id: l.id,
    programmeArea: l.programmeArea,
    label: l.label ?? null,
    budgetId: header.id,
    fiscalYear: header.fiscalYear,
    ...execution(l, c),
  });
  const total = execution(scoped.total, c);
  return {
    ...header,
    total: total.allocated,
    committed: total.committed,
    spent: total.spent,
    available: total.available,
    executionRate: total.executionRate,
    lines: lines.map(line),
    programmeAreas: scoped.areas.map((a) => ({ programmeArea: a.programmeArea, ...execution(a, c) })),
  };
}

function regroup(lines: readonly LineFigures[]): Pick<BudgetFigures, 'areas' | 'total'> {
  const add = (a: Figures, b: Figures): Figures => ({
    allocated: a.allocated + b.allocated,
    committed: a.committed + b.committed,
    spent: a.spent + b.spent,
  });
  const zero: Figures = { allocated: 0n, committed: 0n, spent: 0n };
  const areas = new Map<string, Figures>();
  for (const l of lines) areas.set(l.programmeArea, add(areas.get(l.programmeArea) ?? zero, l));
  return {
    areas: [...areas.entries()].map(([programmeArea, f]) => ({ programmeArea: programmeArea as LineFigures['programmeArea'], ...f })),
    total: lines.reduce<Figures>(add, zero),
  };
}

export function budgetFromView(doc: BudgetViewDoc, visible?: (lineId: string) => boolean): BudgetGraph {
  return budgetGraph(
    {
      id: doc._id,
      version: doc._version,
      fiscalYear: doc.fiscalYear,
      status: doc.status,
      currency: doc.currency,
      thresholds: doc.thresholds,
    },
    budgetFigures(doc),
    visible,
  );
}

export function budgetFromState(b: Budget, version: number, visible?: (lineId: string) => boolean): BudgetGraph {
  const lines: LineFigures[] = b.lines.map((l) => ({
    id: l.id,
    programmeArea: l.programmeArea,
    ...(l.label !== undefined ? { label: l.label } : {}),
    allocated: parseMinorUnits(l.allocated),
    committed: parseMinorUnits(l.committed),
    spent: parseMinorUnits(l.spent),
  }));
  return budgetGraph(
    { id: b.id, version, fiscalYear: b.fiscalYear, status: b.status, currency: b.currency, thresholds: b.thresholds },
    { lines, ...regroup(lines) },
    visible,
  );
}

// ---------- commitments ----------

export interface CommitmentGraph {
  id: string;
  version: number;
  budgetLineId: string;
  amount: Money;
  status: string;
  sourceType: string;
  sourceId: string;
  purpose: Commitment['purpose'];
  regions: readonly string[];
  requestId: string | null;
  quotes: readonly string[];
  requestedAt: string;
  decidedAt: string | null;
  rejectionReason: string | null;
  releaseReason: string | null;
  expenses: { id: string; amount: Money; supplier: string; invoiceRef: string; date: string }[];
  spent: Money;
  remaining: Money;
}

function withSums(c: Omit<CommitmentGraph, 'spent' | 'remaining'>): CommitmentGraph {
  const spent = c.expenses.reduce((s, e) => s + parseMinorUnits(e.amount.amount), 0n);
  const remaining = c.status === 'APPROVED' ? parseMinorUnits(c.amount.amount) - spent : 0n;
  return {
    ...c,
    spent: { amount: formatMinorUnits(spent), currency: c.amount.currency },
    remaining: { amount: formatMinorUnits(remaining), currency: c.amount.currency },
  };
}

export function commitmentFromView(d: CommitmentViewDoc): CommitmentGraph {
  return withSums({
    id: d._id,
    version: d._version,
    budgetLineId: d.budgetLineId,
    amount: d.amount,
    status: d.status,
    sourceType: d.sourceType,
    sourceId: d.sourceId,
    purpose: d.purpose,
    regions: d.regions ?? [],
    requestId: d.requestId ?? null,
    quotes: d.quotes,
    requestedAt: d.requestedAt,
    decidedAt: d.decidedAt ?? null,
    rejectionReason: d.rejectionReason ?? null,
    releaseReason: d.releaseReason ?? null,
    expenses: d.expenseOrder.map((id) => d.expenses[fieldKey(id)]).filter((e) => e !== undefined),
  });
}

export function commitmentFromState(c: Commitment, version: number): CommitmentGraph {
  return withSums({
    id: c.id,
    version,
    budgetLineId: c.budgetLineId,
    amount: c.amount,
    status: c.status,
    sourceType: c.sourceType,
    sourceId: c.sourceId,
    purpose: c.purpose,
    regions: c.regions,
    requestId: c.requestId ?? null,
    quotes: c.quotes,
    requestedAt: c.requestedAt,
    decidedAt: c.decidedAt ?? null,
    rejectionReason: c.rejectionReason ?? null,
    releaseReason: c.releaseReason ?? null,
    expenses: c.expenses.map((e) => ({ ...e })),
  });
}
