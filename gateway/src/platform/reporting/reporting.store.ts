import type { mongo } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { evolveReport, factsOf, type Fact, type Measure, type ReportState } from './facts';

export const REPORT_STATES = 'report_states';
export const REPORT_FACTS = 'report_facts';
export const REPORT_CELLS = 'report_cells';
/** The fields reads go by (MongoDB indexes; GIN indexes on FerretDB). */
export const REPORT_FACT_KEYS = ['k', 'c', 'stream'] as const;
export const REPORT_CELL_KEYS = ['k'] as const;
export const REPORT_STATE_KEYS = ['_id'] as const;

interface StateDoc {
  _id: string;
  context: string;
  stream: string;
  /** The stream's version folded so far: an event at or below it is a redelivery. */
  v: number;
  position: number;
  /**
   * The report state as JSON: its maps are keyed by ids and free text (a budget line
   * `budget-2026.line-1`, an addressee), which a document key may not hold (no '.', no leading '$').
   */
  state: string;
  /** Cells to sum again: set before a stream's facts change, gone once they are summed. */
  pending?: string[];
}

const sameSet = (a: ReadonlySet<string>, b: readonly string[]) => a.size === b.length && b.every((x) => a.has(x));

/** A fact as stored: its breakdowns as JSON, for the same reason, and the cell it is summed into. */
type FactDoc = Omit<Fact, 'by'> & { by: string; c: string };
export const cellOf = (f: Pick<Fact, 'code' | 'year' | 'quarter' | 'region'>) => `${f.code}|${f.year}|${f.quarter}|${f.region}`;
const toDoc = (f: Fact): FactDoc => ({ ...f, by: JSON.stringify(f.by), c: cellOf(f) });
const fromDoc = ({ c: _c, ...d }: FactDoc): Fact => ({ ...d, by: JSON.parse(d.by) as Fact['by'] });

/**
 * A cell: the sums of an indicator's facts in one year, quarter (0: a stock's year) and region,
 * with every breakdown, recomputed from its facts whenever one of them changes. `rev` makes the
 * recomputation safe between writers: a cell is written only over the revision read before its
 * facts were read.
 */
export interface CellDoc {
  _id: string;
  /** `<code>|<year>`, as facts. */
  k: string;
  code: string;
  year: number;
  quarter: number;
  region: string;
  n: number;
  d: number;
  by: string;
  facts: number;
  rev: number;
}

export interface IndicatorSums extends Measure {
  /** Per dimension, per key. */
  by: Record<string, Record<string, Measure>>;
  facts: number;
}

/**
 * The reporting projections' documents in the gateway's database: one report state per stream
 * (`report_states`) and the facts it gives (`report_facts`).
 *
 * A batch is applied stream by stream: the stream's state is read, its new events (by version)
 * folded, its facts replaced (the old ones deleted, the new ones inserted), then its state written.
 * Facts before the state: a crash in between leaves the old state, so redelivery folds the same
 * events again and writes the same facts. Each stream is one Kafka key, so one partition and one
 * consumer at a time: no two writers race on a stream.
 */
export class ReportingStore {
  readonly states: mongo.Collection<StateDoc>;
  readonly facts: mongo.Collection<FactDoc>;
  readonly cells: mongo.Collection<CellDoc>;

  constructor(readonly db: mongo.Db) {
    this.states = db.collection<StateDoc>(REPORT_STATES);
    this.facts = db.collection<FactDoc>(REPORT_FACTS);
    this.cells = db.collection<CellDoc>(REPORT_CELLS);
  }

  /**
   * Facts written before cells existed (no `c`): given their cell, and every such cell summed.
   * Idempotent; nothing to do on a database written by this version.
   */
  async upgrade(): Promise<number> {
    const touched = new Set<string>();
    for (;;) {
      const batch = await this.facts
        .find({ c: { $exists: false } })
        .limit(500)
        .toArray();
      if (batch.length === 0) break;
      for (const f of batch) {
        const c = cellOf(f);
        await this.facts.updateOne({ _id: f._id }, { $set: { c } });
        touched.add(c);
      }
    }
    for (const c of touched) await this.recomputeCell(c);
    return touched.size;
  }

  protected async cellFacts(id: string): Promise<FactDoc[]> {
    return this.facts.find({ c: id }).toArray();
  }

  /** A cell summed again from its facts, written only over the revision read before them. */
  protected async recomputeCell(id: string): Promise<void> {
    const [code, year, quarter, ...region] = id.split('|');
    for (let attempt = 0; ; attempt++) {
      const current = await this.cells.findOne({ _id: id }, { projection: { rev: 1 } });
      const sums = sumFacts((await this.cellFacts(id)).map(fromDoc));
      const doc: CellDoc = {
        _id: id,
        k: `${code}|${year}`,
        code,
        year: Number(year),
        quarter: Number(quarter),
        region: region.join('|'),
        n: sums.n,
        d: sums.d,
        by: JSON.stringify(sortedBy(sums.by)),
        facts: sums.facts,
        rev: (current?.rev ?? 0) + 1,
      };
      if (current) {
        if ((await this.cells.replaceOne({ _id: id, rev: current.rev }, doc)).matchedCount === 1) return;
      } else {
        try {
          await this.cells.insertOne(doc);
          return;
        } catch (e) {
          if ((e as { code?: number }).code !== 11000) throw e;
        }
      }
      if (attempt >= 50) throw new Error(`reporting cell ${id}: written by others 50 times in a row`);
    }
  }

  /** The partner type of each partner id (from partnerships' report states), for the `partnerType` breakdown. */
  async partnerTypes(ids: readonly string[]): Promise<Map<string, string>> {
    const docs = await Promise.all(ids.map((id) => this.states.findOne({ _id: `partnerships|${id}` })));
    return new Map(
      ids.map((id, i) => {
        const state = docs[i] ? (JSON.parse(docs[i].state) as ReportState | null) : null;
        return [id, state?.kind === 'partner' ? state.type : 'UNKNOWN'];
      }),
    );
  }

  async apply(context: string, events: readonly StoredEvent[]): Promise<void> {
    const byStream = new Map<string, StoredEvent[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    for (const [stream, list] of byStream) {
      const id = `${context}|${stream}`;
      const doc = await this.states.findOne({ _id: id });
      let state = doc ? (JSON.parse(doc.state) as ReportState | null) : null;
      let v = doc?.v ?? 0;
      let position = doc?.position ?? 0;
      for (const e of list) {
        if (e.streamVersion <= v) continue;
        state = evolveReport(state, e);
        v = e.streamVersion;
        position = e.position;
      }
      if (v === (doc?.v ?? 0)) continue;
      const facts = factsOf(state, context, position).map(toDoc);
      const before = new Map((await this.facts.find({ stream }).toArray()).map((f) => [f._id, f]));
      // The cells whose sums change: a fact gone, new, moved, or with other figures (not one whose
      // only change is the stream's position), and those a crash left pending.
      const cells = new Set(doc?.pending ?? []);
      for (const f of facts) {
        const old = before.get(f._id);
        if (old && old.c === f.c && old.n === f.n && old.d === f.d && old.by === f.by) continue;
        if (old?.c) cells.add(old.c);
        cells.add(f.c);
      }
      const keep = new Set(facts.map((f) => f._id));
      const gone = [...before.values()].filter((f) => !keep.has(f._id));
      for (const f of gone) if (f.c) cells.add(f.c);
      // Pending first: a crash after the facts and before the cells leaves facts that look
      // unchanged on redelivery; the state names the cells still to sum.
      if (cells.size > 0 && !sameSet(cells, doc?.pending ?? []))
        await this.states.updateOne(
          { _id: id },
          { $set: { pending: [...cells] }, $setOnInsert: { context, stream, v: 0, position: 0, state: 'null' } },
          { upsert: true },
        );
      for (const f of gone) await this.facts.deleteOne({ _id: f._id });
      for (const f of facts) await this.facts.replaceOne({ _id: f._id }, f, { upsert: true });
      for (const c of cells) await this.recomputeCell(c);
      await this.states.replaceOne({ _id: id }, { context, stream, v, position, state: JSON.stringify(state) }, { upsert: true });
    }
  }

  /**
   * The facts of an indicator in a year (optionally a quarter, a region). A stock's year is its
   * year facts (quarter 0), a flow's is all its quarters; a national indicator has no region.
   */
  async factsOf(
    code: string,
    year: number,
    quarter?: number | null,
    region?: string | null,
    kind: { stock?: boolean; national?: boolean } = {},
  ): Promise<Fact[]> {
    return (await this.facts.find(scopeFilter(code, year, quarter, region, kind)).toArray()).map(fromDoc);
  }

  /** A page of those facts in `_id` order, after a fact id (the drill-down). */
  /**
   * A page of those facts in (cell, `_id`) order, after a fact. Read cell by cell, each by one
   * equality (`c`): a cell's facts are sorted here, never the year's (FerretDB sorts in memory
   * whatever it fetched, so a sort over `k` would fetch the indicator's whole year).
   */
  async factPage(
    scope: { code: string; year: number; quarter?: number | null; region?: string | null },
    kind: { stock?: boolean; national?: boolean },
    after: { cell: string; id: string } | null,
    first: number,
  ): Promise<Fact[]> {
    const filter = scopeFilter(scope.code, scope.year, scope.quarter, scope.region, kind);
    const cells = (await this.cells.find(filter, { projection: { _id: 1, facts: 1 } }).toArray())
      .filter((c) => c.facts > 0 && (after === null || c._id >= after.cell))
      .map((c) => c._id)
      .sort();
    const out: Fact[] = [];
    for (const cell of cells) {
      const facts = (await this.facts.find({ c: cell }).toArray())
        .filter((f) => after === null || cell !== after.cell || f._id > after.id)
        .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
      out.push(...facts.slice(0, first - out.length).map(fromDoc));
      if (out.length >= first) break;
    }
    return out;
  }

  /**
   * The sums of an indicator in a scope, with each breakdown: read from its cells (at most the
   * year's four quarters times thirteen regions, one document each), never from its facts.
   */
  async sums(
    code: string,
    year: number,
    quarter?: number | null,
    region?: string | null,
    kind: { stock?: boolean; national?: boolean } = {},
  ): Promise<IndicatorSums> {
    const cells = await this.cells.find(scopeFilter(code, year, quarter, region, kind)).toArray();
    return sumFacts(cells.map((c) => ({ n: c.n, d: c.d, by: JSON.parse(c.by) as Fact['by'], facts: c.facts })));
  }
}

/** Breakdowns with their dimensions and keys in order: the same sums give the same document, whatever order facts were read in. */
function sortedBy(by: IndicatorSums['by']): IndicatorSums['by'] {
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return sorted(Object.fromEntries(Object.entries(by).map(([dim, keys]) => [dim, sorted(keys)])));
}

/** Facts and cells of a scope: by `k`; a stock's year is its quarter 0, a flow's all its quarters; a national indicator has no region. */
function scopeFilter(
  code: string,
  year: number,
  quarter: number | null | undefined,
  region: string | null | undefined,
  kind: { stock?: boolean; national?: boolean },
): Record<string, unknown> {
  const filter: Record<string, unknown> = { k: `${code}|${year}` };
  if (quarter != null) filter.quarter = quarter;
  else if (kind.stock) filter.quarter = 0;
  if (region != null && !kind.national) filter.region = region;
  return filter;
}

/** The sums of facts (or of cells, each counting `facts`), with each breakdown. */
export function sumFacts(facts: readonly (Pick<Fact, 'n' | 'd' | 'by'> & { facts?: number })[]): IndicatorSums {
  const out: IndicatorSums = { n: 0, d: 0, by: {}, facts: 0 };
  for (const f of facts) {
    out.facts += f.facts ?? 1;
    out.n += f.n;
    out.d += f.d;
    for (const [dim, keys] of Object.entries(f.by))
      for (const [key, m] of Object.entries(keys)) {
        const slot = ((out.by[dim] ??= {})[key] ??= { n: 0, d: 0 });
        slot.n += m.n;
        slot.d += m.d;
      }
  }
  return out;
}
