import type { StoredEvent } from '@hrp/contracts';
import { formatMinorUnits, parseMinorUnits } from '@hrp/contracts';
import type { ProjectionHandler } from '@hrp/messaging';
import type { BudgetEvent, ProgrammeArea, Thresholds } from '../budget.events';
import { PROGRAMME_AREAS } from '../budget.events';

/** Name of the read model (collections `budget_view__v<generation>`). */
export const BUDGET_VIEW = 'budget_view';

/**
 * The budget read model: one document per budget (fiscal year). Every money event is recorded
 * under its own id (the commitment, the expense, the reallocation) with `$set` only, so applying an
 * event twice or in a rebuild gives the same document, and amounts stay MinorUnits strings: the
 * figures are summed exactly (BigInt) when read, over at most a few thousand entries of one
 * document, never by a floating-point `$inc`. Ids are field names here: `fieldKey` escapes the
 * dots and dollars they may hold.
 */
export interface BudgetViewDoc {
  _id: string;
  _version: number;
  _position: number;
  fiscalYear: number;
  status: string;
  currency: string;
  thresholds: Thresholds;
  lines: Record<string, { id: string; programmeArea: ProgrammeArea; label?: string; allocated: string }>;
  lineOrder: string[];
  moves: Record<string, { from: string; to: string; amount: string }>;
  committed: Record<string, { lineId: string; amount: string }>;
  released: Record<string, boolean>;
  spent: Record<string, { lineId: string; amount: string }>;
  updatedAt: string;
}

/** A store field name for an id: `.`, `$` and `%` escaped (ids like `campaign-1.funding-request`). */
export function fieldKey(id: string): string {
  return id.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

type Of<T extends BudgetEvent['type']> = Extract<BudgetEvent, { type: T }>['data'];
const touched = (e: StoredEvent) => ({ updatedAt: e.metadata.time });

/** Mongo update per event type; pure (the same event always gives the same update). */
export const budgetViewHandlers: Record<BudgetEvent['type'], ProjectionHandler> = {
  BudgetDrafted: (e) => {
    const d = e.data as Of<'BudgetDrafted'>;
    return {
      $set: {
        fiscalYear: d.fiscalYear,
        status: 'DRAFT',
        currency: d.currency,
        thresholds: d.thresholds,
        lines: Object.fromEntries(
          d.lines.map((l) => [
            fieldKey(l.lineId),
            {
              id: l.lineId,
              programmeArea: l.programmeArea,
              ...(l.label !== undefined ? { label: l.label } : {}),
              allocated: l.allocated.amount,
            },
          ]),
        ),
        lineOrder: d.lines.map((l) => l.lineId),
        moves: {},
        committed: {},
        released: {},
        spent: {},
        ...touched(e),
      },
    };
  },
  BudgetThresholdsSet: (e) => ({ $set: { thresholds: (e.data as Of<'BudgetThresholdsSet'>).thresholds, ...touched(e) } }),
  BudgetApproved: (e) => ({ $set: { status: 'APPROVED', ...touched(e) } }),
  BudgetClosed: (e) => ({ $set: { status: 'CLOSED', ...touched(e) } }),
  FundsReallocated: (e) => {
    const d = e.data as Of<'FundsReallocated'>;
    return {
      $set: { [`moves.${fieldKey(d.reallocationId)}`]: { from: d.fromLineId, to: d.toLineId, amount: d.amount.amount }, ...touched(e) },
    };
  },
  FundsCommitted: (e) => {
    const d = e.data as Of<'FundsCommitted'>;
    return { $set: { [`committed.${fieldKey(d.commitmentId)}`]: { lineId: d.lineId, amount: d.amount.amount }, ...touched(e) } };
  },
  FundsReleased: (e) => ({ $set: { [`released.${fieldKey((e.data as Of<'FundsReleased'>).commitmentId)}`]: true, ...touched(e) } }),
  FundsSpent: (e) => {
    const d = e.data as Of<'FundsSpent'>;
    return { $set: { [`spent.${fieldKey(d.expenseId)}`]: { lineId: d.lineId, amount: d.amount.amount }, ...touched(e) } };
  },
  CommitmentVoided: (e) => ({ $set: touched(e) }),
};

// ---------- figures, summed exactly when read ----------

export interface Figures {
  readonly allocated: bigint;
  readonly committed: bigint;
  readonly spent: bigint;
}

export interface LineFigures extends Figures {
  readonly id: string;
  readonly programmeArea: ProgrammeArea;
  readonly label?: string;
}

export interface BudgetFigures {
  readonly lines: readonly LineFigures[];
  readonly areas: readonly (Figures & { readonly programmeArea: ProgrammeArea })[];
  readonly total: Figures;
}

/** Allocated, committed and spent per line (in the draft's order), per programme area and in all. */
export function budgetFigures(doc: BudgetViewDoc): BudgetFigures {
  const sums = new Map<string, { allocated: bigint; committed: bigint; spent: bigint }>(
    doc.lineOrder.map((id) => [id, { allocated: parseMinorUnits(doc.lines[fieldKey(id)].allocated), committed: 0n, spent: 0n }]),
  );
  const add = (lineId: string, field: keyof Figures, amount: string) => {
    const line = sums.get(lineId);
    if (line) line[field] += parseMinorUnits(amount, { allowNegative: true });
  };
  for (const m of Object.values(doc.moves ?? {})) {
    add(m.from, 'allocated', `-${m.amount}`);
    add(m.to, 'allocated', m.amount);
  }
  for (const [key, c] of Object.entries(doc.committed ?? {})) if (!doc.released?.[key]) add(c.lineId, 'committed', c.amount);
  for (const s of Object.values(doc.spent ?? {})) add(s.lineId, 'spent', s.amount);

  const lines = doc.lineOrder.map((id): LineFigures => {
    const l = doc.lines[fieldKey(id)];
    return { id, programmeArea: l.programmeArea, ...(l.label !== undefined ? { label: l.label } : {}), ...sums.get(id)! };
  });
  const areas = PROGRAMME_AREAS.flatMap((programmeArea) => {
    const of = lines.filter((l) => l.programmeArea === programmeArea);
    return of.length === 0 ? [] : [{ programmeArea, ...sum(of) }];
  });
  return { lines, areas, total: sum(lines) };
}

function sum(figures: readonly Figures[]): Figures {
  return figures.reduce(
    (t, f) => ({ allocated: t.allocated + f.allocated, committed: t.committed + f.committed, spent: t.spent + f.spent }),
    {
      allocated: 0n,
      committed: 0n,
      spent: 0n,
    },
  );
}

/** Spent over allocated, as a fraction (0 when nothing is allocated), to 1e-9. */
export function executionRate(f: Figures): number {
  if (f.allocated <= 0n) return 0;
  return Number((f.spent * 1_000_000_000n) / f.allocated) / 1_000_000_000;
}

export const available = (f: Figures): bigint => f.allocated - f.committed;

export const money = (amount: bigint, currency: string) => ({ amount: formatMinorUnits(amount), currency });
