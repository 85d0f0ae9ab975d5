import type { StoredEvent } from '@hrp/contracts';

/*
 * The reporting projections' pure core (issue 14): each stream of a context is folded into a
 * small *report state* of what its indicators need, and the state gives its *facts*: one per
 * indicator and activity, session or line, already disaggregated (sums per sex, age group,
 * profession, region…). An indicator's figure for a year is the sum of its facts of that year,
 * read by one equality (`k = <code>|<year>`), never a scan of events. Facts are recomputed from the
 * state on every event of the stream and replace the stream's previous ones, so a redelivered
 * event (skipped by its version) or a rebuild gives the same facts.
 *
 * Definitions (the domain's M&E catalogue, as this code reads it):
 * - AWR-01 people reached: the participants (female + male + undisclosed) of each *held*
 *   awareness activity, in the activity's region and on its date. Media reach is not counted.
 * - AWR-02 awareness activities held: one per held activity (date, region, kind).
 * - TRN-01 people trained: the ENROLLED participants of a COMPLETED session who were present at
 *   least one day, in the participant's region, at the session's end date.
 * - TRN-02 average knowledge gain: over those with both scores, mean of post − pre.
 * - TRN-03 certification rate: certificates issued and not revoked over people trained (%).
 * National indicators (no region: region `NATIONAL`):
 * - PRT-01 active agreements: each agreement counts once in each year (and each quarter) in which
 *   it was ACTIVE: from its activation to its end (renewals move it), expiry or termination. A
 *   stock: the year's figure is its year facts (quarter 0), a quarter's its quarter facts.
 * - PRT-02 contributions mobilised: what partners committed (FROM_PARTNER), in money and in kind
 *   at its estimated value, in MAD minor units, in the year of signature (as partnerships'
 *   `contributionsMobilised`); other currencies are not added in.
 * - ADV-01 recommendations issued, in the year of issue, by addressee and source.
 * - ADV-02 adoption rate: adopted + partially adopted over decided, in the year of issue, with
 *   the current status (as advocacy's `adoptionFigures`).
 * - FIN-01 budget execution rate: spent over allocated (after reallocations), per line and
 *   programme area, in the fiscal year; a quarter's figure is what was spent in it over the year's
 *   allocation. A stock for the year (quarter 0) beside its quarters.
 * - FIN-02 commitments awaiting approval: REQUESTED now, in their budget's year (and the quarter
 *   they were requested in). A stock.
 * - cost per person trained / reached: what was spent (by expense date) on the
 *   commitments of training sessions / campaigns, over TRN-01 / AWR-01 of the same period.
 */

/** A sum and, for a ratio, its denominator. */
export interface Measure {
  n: number;
  d: number;
}

export interface Fact {
  /** `<stream>|<code>|<part>`: deterministic, so a stream's facts replace themselves. */
  _id: string;
  stream: string;
  context: string;
  code: string;
  /** `<code>|<year>`: what a query reads by. */
  k: string;
  year: number;
  quarter: number;
  region: string;
  n: number;
  d: number;
  /** Per breakdown dimension, per key: the part of the measure. */
  by: Record<string, Record<string, Measure>>;
  /** What the fact counts (an activity, a session), for a drill-down. */
  ref: string;
  /** The position of the stream's last event folded. */
  position: number;
}

const quarterOf = (date: string) => Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;

function fact(
  stream: string,
  context: string,
  code: string,
  part: string,
  at: { date: string; region: string; ref: string; position: number },
  measure: Measure,
  by: Record<string, Record<string, Measure>> = {},
): Fact {
  const year = Number(at.date.slice(0, 4));
  return {
    _id: `${stream}|${code}|${part}`,
    stream,
    context,
    code,
    k: `${code}|${year}`,
    year,
    quarter: quarterOf(at.date),
    region: at.region,
    n: measure.n,
    d: measure.d,
    by: { region: { [at.region]: { ...measure } }, quarter: { [`Q${quarterOf(at.date)}`]: { ...measure } }, ...by },
    ref: at.ref,
    position: at.position,
  };
}

/** Adds `m` under `key` of dimension `dim`. */
function add(by: Record<string, Record<string, Measure>>, dim: string, key: string, m: Measure): void {
  const slot = ((by[dim] ??= {})[key] ??= { n: 0, d: 0 });
  slot.n += m.n;
  slot.d += m.d;
}

// ---------------------------------------------------------------- campaigns

interface Counted {
  female: number;
  male: number;
  undisclosed: number;
  withDisability: number;
  byAgeGroup?: { ageGroup: string; count: number }[];
}
interface Activity {
  kind: string;
  date: string;
  region: string;
  held?: Counted;
}
export interface CampaignReport {
  kind: 'campaign';
  id: string;
  activities: Record<string, Activity>;
}

// ---------------------------------------------------------------- training

interface Participant {
  sex: string;
  ageGroup: string;
  profession: string;
  region: string;
  status: string;
  pre?: number;
  post?: number;
  certified?: boolean;
}
export interface SessionReport {
  kind: 'session';
  id: string;
  region: string;
  endDate: string;
  status: string;
  participants: Record<string, Participant>;
  present: Record<string, string[]>;
}

// ---------------------------------------------------------------- partnerships, advocacy, finance

export interface PartnerReport {
  kind: 'partner';
  id: string;
  type: string;
}
interface Contribution {
  direction: string;
  kind: string;
  money?: { amount: string; currency: string };
  estimatedValue?: { amount: string; currency: string };
}
export interface AgreementReport {
  kind: 'agreement';
  id: string;
  partnerId: string;
  end: string;
  contributions: Contribution[];
  signedOn?: string;
  activatedOn?: string;
  /** Expired, terminated or cancelled: the day it stopped being active. */
  closedOn?: string;
}
interface Recommendation {
  addressee: string;
  source: string;
  issuedOn: string;
  status: string;
}
export interface DossierReport {
  kind: 'dossier';
  id: string;
  recommendations: Record<string, Recommendation>;
}
export interface BudgetReport {
  kind: 'budget';
  id: string;
  year: number;
  currency: string;
  /** By line: its programme area, its allocation, its expenses by id (date, minor units). */
  lines: Record<string, { area: string; allocated: number; spent: Record<string, { date: string; amount: number }> }>;
}
export interface CommitmentReport {
  kind: 'commitment';
  id: string;
  year: number;
  sourceType: string;
  status: string;
  requestedOn: string;
  /** By expense id: its date and amount (minor units). */
  expenses: Record<string, { date: string; amount: number }>;
}

export type ReportState =
  CampaignReport | SessionReport | PartnerReport | AgreementReport | DossierReport | BudgetReport | CommitmentReport;

/** Integer minor units of a MinorUnits string (exact below 2^53, which any budget is). */
const minor = (amount: string | undefined): number => (amount === undefined ? 0 : Number(amount));

/** The report state of a stream after one more event (null: a stream reporting does not follow). */
export function evolveReport(state: ReportState | null, event: StoredEvent): ReportState | null {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'CampaignCreated':
      return { kind: 'campaign', id: event.streamId, activities: {} };
    case 'ActivityScheduled': {
      if (state?.kind !== 'campaign') return state;
      const a: Activity = { kind: d.kind as string, date: d.date as string, region: d.region as string };
      return { ...state, activities: { ...state.activities, [d.activityId as string]: a } };
    }
    case 'ActivityHeld': {
      if (state?.kind !== 'campaign') return state;
      const a = state.activities[d.activityId as string];
      if (!a) return state;
      return { ...state, activities: { ...state.activities, [d.activityId as string]: { ...a, held: d.participants as Counted } } };
    }
    case 'TrainingSessionScheduled':
      return {
        kind: 'session',
        id: event.streamId,
        region: d.region as string,
        endDate: d.endDate as string,
        status: 'SCHEDULED',
        participants: {},
        present: {},
      };
    case 'ParticipantEnrolled': {
      if (state?.kind !== 'session') return state;
      const p: Participant = {
        sex: d.sex as string,
        ageGroup: d.ageGroup as string,
        profession: d.profession as string,
        region: d.region as string,
        status: d.status as string,
      };
      return { ...state, participants: { ...state.participants, [d.participantId as string]: p } };
    }
    case 'ParticipantWithdrawn':
    case 'ParticipantPromoted': {
      if (state?.kind !== 'session') return state;
      const p = state.participants[d.participantId as string];
      if (!p) return state;
      const status = event.type === 'ParticipantWithdrawn' ? 'WITHDRAWN' : 'ENROLLED';
      return { ...state, participants: { ...state.participants, [d.participantId as string]: { ...p, status } } };
    }
    case 'AttendanceRecorded': {
      if (state?.kind !== 'session') return state;
      return { ...state, present: { ...state.present, [d.day as string]: d.presentParticipantIds as string[] } };
    }
    case 'AssessmentRecorded': {
      if (state?.kind !== 'session') return state;
      const p = state.participants[d.participantId as string];
      if (!p) return state;
      const phase = d.phase === 'PRE' ? 'pre' : 'post';
      return { ...state, participants: { ...state.participants, [d.participantId as string]: { ...p, [phase]: d.score as number } } };
    }
    case 'TrainingSessionCompleted':
    case 'TrainingSessionCancelled':
      if (state?.kind !== 'session') return state;
      return { ...state, status: event.type === 'TrainingSessionCompleted' ? 'COMPLETED' : 'CANCELLED' };
    case 'CertificateIssued':
    case 'CertificateRevoked': {
      if (state?.kind !== 'session') return state;
      const p = state.participants[d.participantId as string];
      if (!p) return state;
      const certified = event.type === 'CertificateIssued';
      return { ...state, participants: { ...state.participants, [d.participantId as string]: { ...p, certified } } };
    }
    case 'PartnerRegistered':
      return { kind: 'partner', id: event.streamId, type: d.type as string };
    case 'PartnerUpdated':
      if (state?.kind !== 'partner' || typeof d.type !== 'string') return state;
      return { ...state, type: d.type };
    case 'AgreementDrafted': {
      const period = d.period as { start: string; end: string };
      return {
        kind: 'agreement',
        id: event.streamId,
        partnerId: d.partnerId as string,
        end: period.end,
        contributions: (d.contributions as Contribution[] | undefined) ?? [],
      };
    }
    case 'AgreementSigned':
      return state?.kind === 'agreement' ? { ...state, signedOn: d.signedOn as string } : state;
    case 'AgreementActivated':
      return state?.kind === 'agreement' ? { ...state, activatedOn: d.activatedOn as string } : state;
    case 'AgreementRenewed':
      return state?.kind === 'agreement' ? { ...state, end: d.newEnd as string } : state;
    case 'AgreementExpired':
      return state?.kind === 'agreement' ? { ...state, closedOn: d.expiredOn as string } : state;
    case 'AgreementTerminated':
    case 'AgreementCancelled':
      return state?.kind === 'agreement' ? { ...state, closedOn: event.metadata.time.slice(0, 10) } : state;
    case 'DossierOpened':
      return { kind: 'dossier', id: event.streamId, recommendations: {} };
    case 'RecommendationIssued': {
      if (state?.kind !== 'dossier') return state;
      const r: Recommendation = {
        addressee: d.addressee as string,
        source: d.source as string,
        issuedOn: d.issuedOn as string,
        status: 'ISSUED',
      };
      return { ...state, recommendations: { ...state.recommendations, [d.recommendationId as string]: r } };
    }
    case 'RecommendationStatusChanged': {
      if (state?.kind !== 'dossier') return state;
      const r = state.recommendations[d.recommendationId as string];
      if (!r) return state;
      return { ...state, recommendations: { ...state.recommendations, [d.recommendationId as string]: { ...r, status: d.to as string } } };
    }
    case 'BudgetDrafted': {
      const lines = Object.fromEntries(
        (d.lines as { lineId: string; programmeArea: string; allocated: { amount: string } }[]).map((l) => [
          l.lineId,
          { area: l.programmeArea, allocated: minor(l.allocated.amount), spent: {} },
        ]),
      );
      return { kind: 'budget', id: event.streamId, year: d.fiscalYear as number, currency: d.currency as string, lines };
    }
    case 'FundsReallocated': {
      if (state?.kind !== 'budget') return state;
      const from = state.lines[d.fromLineId as string];
      const to = state.lines[d.toLineId as string];
      if (!from || !to) return state;
      const amount = minor((d.amount as { amount: string }).amount);
      return {
        ...state,
        lines: {
          ...state.lines,
          [d.fromLineId as string]: { ...from, allocated: from.allocated - amount },
          [d.toLineId as string]: { ...to, allocated: to.allocated + amount },
        },
      };
    }
    case 'FundsSpent': {
      if (state?.kind !== 'budget') return state;
      const line = state.lines[d.lineId as string];
      if (!line) return state;
      const expense = { date: d.date as string, amount: minor((d.amount as { amount: string }).amount) };
      return {
        ...state,
        lines: { ...state.lines, [d.lineId as string]: { ...line, spent: { ...line.spent, [d.expenseId as string]: expense } } },
      };
    }
    case 'CommitmentRequested':
      return {
        kind: 'commitment',
        id: event.streamId,
        year: Number(String(d.budgetId).slice(-4)),
        sourceType: d.sourceType as string,
        status: 'REQUESTED',
        requestedOn: String(d.requestedAt).slice(0, 10),
        expenses: {},
      };
    case 'CommitmentApproved':
    case 'CommitmentRejected':
    case 'CommitmentReleased':
      if (state?.kind !== 'commitment') return state;
      return { ...state, status: event.type.replace('Commitment', '').toUpperCase() };
    case 'ExpenseRecorded': {
      if (state?.kind !== 'commitment') return state;
      const e = { date: d.date as string, amount: minor((d.amount as { amount: string }).amount) };
      return { ...state, expenses: { ...state.expenses, [d.expenseId as string]: e } };
    }
    default:
      return state;
  }
}

/** The facts a stream's report state gives (its previous facts are replaced by these). */
export function factsOf(state: ReportState | null, context: string, position: number): Fact[] {
  switch (state?.kind) {
    case 'campaign':
      return campaignFacts(state, context, position);
    case 'session':
      return sessionFacts(state, context, position);
    case 'agreement':
      return agreementFacts(state, context, position);
    case 'dossier':
      return dossierFacts(state, context, position);
    case 'budget':
      return budgetFacts(state, context, position);
    case 'commitment':
      return commitmentFacts(state, context, position);
    default:
      return [];
  }
}

/** The region of the facts of national indicators. */
export const NATIONAL = 'NATIONAL';

/** A stock's fact for a whole year: quarter 0 (a year's figure reads these; a quarter's, its own). */
function yearFact(base: Fact): Fact {
  const { quarter: _q, ...by } = base.by;
  return { ...base, _id: `${base._id}|Y`, quarter: 0, by };
}

const quarterStart = (year: number, q: number) => `${year}-${String(3 * q - 2).padStart(2, '0')}-01`;
const quarterEnd = (year: number, q: number) => `${year}-${String(3 * q).padStart(2, '0')}-31`;

function agreementFacts(a: AgreementReport, context: string, position: number): Fact[] {
  const out: Fact[] = [];
  const partner = { [a.partnerId]: { n: 1, d: 0 } };
  if (a.activatedOn) {
    // Active from activation to the first of its end, expiry or termination.
    const last = a.closedOn && a.closedOn < a.end ? a.closedOn : a.end;
    if (last >= a.activatedOn)
      for (let y = Number(a.activatedOn.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) {
        const at = { date: `${y}-01-01`, region: NATIONAL, ref: a.id, position };
        out.push(yearFact(fact(a.id, context, 'PRT-01', String(y), at, { n: 1, d: 0 }, { partner })));
        for (let q = 1; q <= 4; q++)
          if (a.activatedOn <= quarterEnd(y, q) && last >= quarterStart(y, q))
            out.push(fact(a.id, context, 'PRT-01', `${y}-Q${q}`, { ...at, date: quarterStart(y, q) }, { n: 1, d: 0 }, { partner }));
      }
  }
  if (a.signedOn) {
    const from = a.contributions.filter((c) => c.direction === 'FROM_PARTNER');
    const inMad = (m?: { amount: string; currency: string }) => (m?.currency === 'MAD' ? minor(m.amount) : 0);
    const financial = from.filter((c) => c.kind === 'FINANCIAL').reduce((n, c) => n + inMad(c.money), 0);
    const inKind = from.filter((c) => c.kind === 'IN_KIND').reduce((n, c) => n + inMad(c.estimatedValue), 0);
    const total = financial + inKind;
    out.push(
      fact(
        a.id,
        context,
        'PRT-02',
        'signed',
        { date: a.signedOn, region: NATIONAL, ref: a.id, position },
        { n: total, d: 0 },
        { kind: { FINANCIAL: { n: financial, d: 0 }, IN_KIND: { n: inKind, d: 0 } }, partner: { [a.partnerId]: { n: total, d: 0 } } },
      ),
    );
  }
  return out;
}

const DECIDED = new Set(['ADOPTED', 'PARTIALLY_ADOPTED', 'REJECTED']);
const ADOPTED = new Set(['ADOPTED', 'PARTIALLY_ADOPTED']);

function dossierFacts(dossier: DossierReport, context: string, position: number): Fact[] {
  const out: Fact[] = [];
  for (const [id, r] of Object.entries(dossier.recommendations)) {
    const at = { date: r.issuedOn, region: NATIONAL, ref: `${dossier.id}/${id}`, position };
    out.push(
      fact(
        dossier.id,
        context,
        'ADV-01',
        id,
        at,
        { n: 1, d: 0 },
        { addressee: { [r.addressee]: { n: 1, d: 0 } }, source: { [r.source]: { n: 1, d: 0 } } },
      ),
    );
    if (DECIDED.has(r.status)) {
      const m = { n: ADOPTED.has(r.status) ? 1 : 0, d: 1 };
      out.push(
        fact(dossier.id, context, 'ADV-02', id, at, m, { addressee: { [r.addressee]: { ...m } }, source: { [r.source]: { ...m } } }),
      );
    }
  }
  return out;
}

function budgetFacts(b: BudgetReport, context: string, position: number): Fact[] {
  if (b.currency !== 'MAD') return [];
  const out: Fact[] = [];
  for (const [lineId, line] of Object.entries(b.lines)) {
    const expenses = Object.values(line.spent);
    const total = expenses.reduce((n, e) => n + e.amount, 0);
    const at = { date: `${b.year}-01-01`, region: NATIONAL, ref: `${b.id}/${lineId}`, position };
    const area = (n: number) => ({ programmeArea: { [line.area]: { n, d: line.allocated } } });
    out.push(yearFact(fact(b.id, context, 'FIN-01', lineId, at, { n: total, d: line.allocated }, area(total))));
    for (let q = 1; q <= 4; q++) {
      const inQ = expenses
        .filter((e) => quarterOf(e.date) === q && Number(e.date.slice(0, 4)) === b.year)
        .reduce((n, e) => n + e.amount, 0);
      out.push(
        fact(
          b.id,
          context,
          'FIN-01',
          `${lineId}|Q${q}`,
          { ...at, date: quarterStart(b.year, q) },
          { n: inQ, d: line.allocated },
          area(inQ),
        ),
      );
    }
  }
  return out;
}

function commitmentFacts(c: CommitmentReport, context: string, position: number): Fact[] {
  const out: Fact[] = [];
  const at = { date: c.requestedOn, region: NATIONAL, ref: c.id, position };
  if (c.status === 'REQUESTED') {
    const by = { sourceType: { [c.sourceType]: { n: 1, d: 0 } } };
    const f = fact(
      c.id,
      context,
      'FIN-02',
      'requested',
      { ...at, date: c.requestedOn.startsWith(String(c.year)) ? c.requestedOn : `${c.year}-01-01` },
      { n: 1, d: 0 },
      by,
    );
    out.push(yearFact(f), f);
  }
  const code = c.sourceType === 'TRAINING_SESSION' ? 'X-01' : c.sourceType === 'CAMPAIGN' ? 'X-02' : null;
  if (code)
    for (const [expenseId, e] of Object.entries(c.expenses))
      out.push(fact(c.id, context, code, expenseId, { ...at, date: e.date }, { n: e.amount, d: 0 }));
  return out;
}

function campaignFacts(c: CampaignReport, context: string, position: number): Fact[] {
  const out: Fact[] = [];
  for (const [activityId, a] of Object.entries(c.activities)) {
    if (!a.held) continue;
    const h = a.held;
    const at = { date: a.date, region: a.region, ref: `${c.id}/${activityId}`, position };
    const total = h.female + h.male + h.undisclosed;
    const by: Record<string, Record<string, Measure>> = {};
    add(by, 'sex', 'F', { n: h.female, d: 0 });
    add(by, 'sex', 'M', { n: h.male, d: 0 });
    add(by, 'sex', 'UNDISCLOSED', { n: h.undisclosed, d: 0 });
    add(by, 'disability', 'WITH_DISABILITY', { n: h.withDisability, d: 0 });
    add(by, 'disability', 'OTHER', { n: total - h.withDisability, d: 0 });
    for (const g of h.byAgeGroup ?? []) add(by, 'ageGroup', g.ageGroup, { n: g.count, d: 0 });
    out.push(fact(c.id, context, 'AWR-01', activityId, at, { n: total, d: 0 }, by));
    out.push(fact(c.id, context, 'AWR-02', activityId, at, { n: 1, d: 0 }, { kind: { [a.kind]: { n: 1, d: 0 } } }));
  }
  return out;
}

function sessionFacts(s: SessionReport, context: string, position: number): Fact[] {
  if (s.status !== 'COMPLETED') return [];
  const presentIds = new Set(Object.values(s.present).flat());
  const trained = Object.entries(s.participants).filter(([id, p]) => p.status === 'ENROLLED' && presentIds.has(id));
  if (trained.length === 0) return [];
  const facts: Fact[] = [];
  // One fact per indicator and participant region: a session's people may come from several regions.
  const regions = [...new Set(trained.map(([, p]) => p.region))].sort();
  for (const region of regions) {
    const here = trained.filter(([, p]) => p.region === region).map(([, p]) => p);
    const at = { date: s.endDate, region, ref: s.id, position };
    const people: Record<string, Record<string, Measure>> = {};
    const gain: Record<string, Record<string, Measure>> = {};
    const certified: Record<string, Record<string, Measure>> = {};
    let gains = { n: 0, d: 0 };
    let certs = { n: 0, d: 0 };
    for (const p of here) {
      const dims: [string, string][] = [
        ['sex', p.sex],
        ['ageGroup', p.ageGroup],
        ['profession', p.profession],
      ];
      const g = p.pre !== undefined && p.post !== undefined ? { n: p.post - p.pre, d: 1 } : { n: 0, d: 0 };
      const c = { n: p.certified ? 1 : 0, d: 1 };
      gains = { n: gains.n + g.n, d: gains.d + g.d };
      certs = { n: certs.n + c.n, d: certs.d + c.d };
      // Crossed, for the report's chart of people trained by profession and sex.
      add(people, 'professionSex', `${p.profession}|${p.sex}`, { n: 1, d: 0 });
      for (const [dim, key] of dims) {
        add(people, dim, key, { n: 1, d: 0 });
        if (g.d) add(gain, dim, key, g);
        add(certified, dim, key, c);
      }
    }
    facts.push(fact(s.id, context, 'TRN-01', region, at, { n: here.length, d: 0 }, people));
    if (gains.d > 0) facts.push(fact(s.id, context, 'TRN-02', region, at, gains, gain));
    facts.push(fact(s.id, context, 'TRN-03', region, at, certs, certified));
  }
  return facts;
}
