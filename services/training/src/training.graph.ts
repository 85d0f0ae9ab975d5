import type { LocalizedText } from '@hrp/contracts';
import type { TrainingModule } from './module/module.events';
import type { ModuleViewDoc } from './module/projections/module-view.projection';
import type { SessionViewDoc } from './session/projections/session-view.projection';
import type { TrainingSession } from './session/session.events';
import { dayCount } from './session/session.events';

/*
 * State and read-model documents → the GraphQL objects of training.graphql. Sessions are first
 * mapped to one plain shape (`SessionData`) from either source, so the object a client gets does
 * not depend on whether the read model had caught up.
 */

export interface ModuleGraph {
  id: string;
  version: number;
  title: LocalizedText;
  status: string;
  professions: readonly string[];
  instruments: readonly string[];
  objectives: LocalizedText | null;
  hours: number;
  tags: readonly { kind: string; ref: string }[];
  /** From the read model only (the module's state has no time): null while it has not caught up. */
  createdAt: string | null;
}

export function moduleFromView(d: ModuleViewDoc): ModuleGraph {
  return {
    id: d._id,
    version: d._version,
    title: d.title,
    status: d.status,
    professions: d.professions,
    instruments: d.instruments,
    objectives: d.objectives ?? null,
    hours: d.hours,
    tags: d.tags,
    createdAt: d.createdAt ?? null,
  };
}

export function moduleFromState(m: TrainingModule, version: number): ModuleGraph {
  return {
    id: m.id,
    version,
    title: m.title,
    status: m.status,
    professions: m.professions,
    instruments: m.instruments,
    objectives: m.objectives ?? null,
    hours: m.hours,
    tags: m.tags,
    createdAt: null,
  };
}

export interface ParticipantData {
  id: string;
  personId: string;
  pii: { keyId: string; ciphertext: string };
  sex: string;
  ageGroup: string;
  profession: string;
  region: string;
  status: string;
  preScore: number | null;
  postScore: number | null;
}

export interface CertificateData {
  code: string;
  participantId: string;
  issuedAt: string;
  revokedAt: string | null;
  revocationReason: string | null;
}

/** A session as the resolvers use it, from the read model or from the stream. */
export interface SessionData {
  id: string;
  version: number;
  moduleId: string;
  moduleTitle: LocalizedText;
  status: string;
  region: string;
  venue: string;
  trainers: readonly string[];
  startDate: string;
  endDate: string;
  days: number;
  capacity: number;
  passMark: number;
  partnerIds: readonly string[];
  budgetLineId: string | null;
  estimatedCost: { amount: string; currency: string } | null;
  fundingStatus: string;
  fundingRejectionReason: string | null;
  cancellationReason: string | null;
  /** In enrolment order, withdrawn ones included. */
  participants: ParticipantData[];
  attendance: Readonly<Record<string, readonly string[]>>;
  certificates: CertificateData[];
}

export function sessionFromView(d: SessionViewDoc): SessionData {
  return {
    id: d._id,
    version: d._version,
    moduleId: d.moduleId,
    moduleTitle: d.moduleTitle,
    status: d.status,
    region: d.region,
    venue: d.venue,
    trainers: d.trainers,
    startDate: d.startDate,
    endDate: d.endDate,
    days: dayCount(d.startDate, d.endDate),
    capacity: d.capacity,
    passMark: d.passMark,
    partnerIds: d.partnerIds,
    budgetLineId: d.budgetLineId ?? null,
    estimatedCost: d.estimatedCost ?? null,
    fundingStatus: d.fundingStatus,
    fundingRejectionReason: d.fundingRejectionReason ?? null,
    cancellationReason: d.cancellationReason ?? null,
    participants: d.participantOrder.map((id) => {
      const p = d.participants[id];
      return { ...p, preScore: p.preScore ?? null, postScore: p.postScore ?? null };
    }),
    attendance: d.attendance,
    certificates: d.certificateCodes.map((code) => {
      const c = d.certificates[code];
      return { ...c, revokedAt: c.revokedAt ?? null, revocationReason: c.revocationReason ?? null };
    }),
  };
}

export function sessionFromState(s: TrainingSession, version: number): SessionData {
  return {
    id: s.id,
    version,
    moduleId: s.moduleId,
    moduleTitle: s.moduleTitle,
    status: s.status,
    region: s.region,
    venue: s.venue,
    trainers: s.trainers,
    startDate: s.startDate,
    endDate: s.endDate,
    days: dayCount(s.startDate, s.endDate),
    capacity: s.capacity,
    passMark: s.passMark,
    partnerIds: s.partnerIds,
    budgetLineId: s.budgetLineId ?? null,
    estimatedCost: s.estimatedCost ?? null,
    fundingStatus: s.funding.status,
    fundingRejectionReason: s.funding.rejectionReason ?? null,
    cancellationReason: s.cancellationReason ?? null,
    participants: s.participants.map((p) => ({
      id: p.id,
      personId: p.personId,
      pii: p.pii,
      sex: p.sex,
      ageGroup: p.ageGroup,
      profession: p.profession,
      region: p.region,
      status: p.status,
      preScore: p.preScore ?? null,
      postScore: p.postScore ?? null,
    })),
    attendance: s.attendance,
    certificates: s.certificates.map((c) => ({
      code: c.code,
      participantId: c.participantId,
      issuedAt: c.issuedAt,
      revokedAt: c.revocation?.revokedAt ?? null,
      revocationReason: c.revocation?.reason ?? null,
    })),
  };
}

/** Days present over the session's days. */
export function attendanceRateOf(s: SessionData, participantId: string): number {
  if (s.days === 0) return 0;
  const present = Object.values(s.attendance).filter((ids) => ids.includes(participantId)).length;
  return present / s.days;
}

/** Counts of the enrolled participants by one of their attributes, in a stable order. */
export function breakdownOf(s: SessionData) {
  const enrolled = s.participants.filter((p) => p.status === 'ENROLLED');
  const by = (key: 'sex' | 'ageGroup' | 'profession' | 'region') => {
    const counts = new Map<string, number>();
    for (const p of enrolled) counts.set(p[key], (counts.get(p[key]) ?? 0) + 1);
    return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, count]) => ({ key, count }));
  };
  return { total: enrolled.length, bySex: by('sex'), byAgeGroup: by('ageGroup'), byProfession: by('profession'), byRegion: by('region') };
}
