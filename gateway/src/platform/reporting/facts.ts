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

export type ReportState = CampaignReport | SessionReport;

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
    default:
      return state;
  }
}

/** The facts a stream's report state gives (its previous facts are replaced by these). */
export function factsOf(state: ReportState | null, context: string, position: number): Fact[] {
  if (state?.kind === 'campaign') return campaignFacts(state, context, position);
  if (state?.kind === 'session') return sessionFacts(state, context, position);
  return [];
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
