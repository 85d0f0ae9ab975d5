import type { mongo } from 'mongoose';
import type { StoredEvent } from '@hrp/contracts';
import { evolveReport, factsOf, type Fact, type Measure, type ReportState } from './facts';

export const REPORT_STATES = 'report_states';
export const REPORT_FACTS = 'report_facts';
/** The fields reads go by (MongoDB indexes; GIN indexes on FerretDB). */
export const REPORT_FACT_KEYS = ['k', 'stream'] as const;
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
}

/** A fact as stored: its breakdowns as JSON, for the same reason. */
type FactDoc = Omit<Fact, 'by'> & { by: string };
const toDoc = (f: Fact): FactDoc => ({ ...f, by: JSON.stringify(f.by) });
const fromDoc = (d: FactDoc): Fact => ({ ...d, by: JSON.parse(d.by) as Fact['by'] });

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

  constructor(readonly db: mongo.Db) {
    this.states = db.collection<StateDoc>(REPORT_STATES);
    this.facts = db.collection<FactDoc>(REPORT_FACTS);
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
      const facts = factsOf(state, context, position);
      const before = await this.facts.find({ stream }, { projection: { _id: 1 } }).toArray();
      const keep = new Set(facts.map((f) => f._id));
      const gone = before.map((f) => f._id).filter((x) => !keep.has(x));
      for (const x of gone) await this.facts.deleteOne({ _id: x });
      for (const f of facts) await this.facts.replaceOne({ _id: f._id }, toDoc(f), { upsert: true });
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
    const all = (await this.facts.find({ k: `${code}|${year}` }).toArray()).map(fromDoc);
    const inQuarter = (f: Fact) => (quarter == null ? !kind.stock || f.quarter === 0 : f.quarter === quarter);
    return all.filter((f) => inQuarter(f) && (region == null || kind.national || f.region === region));
  }

  /** The sums of those facts, with each breakdown. */
  async sums(
    code: string,
    year: number,
    quarter?: number | null,
    region?: string | null,
    kind: { stock?: boolean; national?: boolean } = {},
  ): Promise<IndicatorSums> {
    return sumFacts(await this.factsOf(code, year, quarter, region, kind));
  }
}

/** The sums of facts, with each breakdown. */
export function sumFacts(facts: readonly Fact[]): IndicatorSums {
  const out: IndicatorSums = { n: 0, d: 0, by: {}, facts: facts.length };
  for (const f of facts) {
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
