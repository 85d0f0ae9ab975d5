import type { LocalizedText, StoredEvent } from '@hrp/contracts';
import { listKeys } from '@hrp/context-kit';
import type { ProjectionHandler, ProjectionUpdate } from '@hrp/messaging';
import type { EncryptedPii, TrainingSessionEvent } from '../session.events';

/** Name of the read model (collections `training_session_view__v<generation>`). */
export const SESSION_VIEW = 'training_session_view';

/**
 * One document per training session, listed in scheduling order. Participants are kept as the
 * events give them — their name and institution encrypted with the person's key (`pii`), never in
 * clear — and decrypted when an authorised reader asks: once a person's key is destroyed, no
 * readable name remains here either. `certificateCodes` finds the session of a certificate.
 */
export interface SessionViewDoc {
  _id: string;
  _version: number;
  _position: number;
  scheduledPosition: number;
  listBucket: number;
  listBlock: number;
  moduleId: string;
  moduleTitle: LocalizedText;
  status: string;
  region: string;
  venue: string;
  trainers: string[];
  startDate: string;
  endDate: string;
  capacity: number;
  passMark: number;
  partnerIds: string[];
  budgetLineId?: string;
  estimatedCost?: { amount: string; currency: string };
  fundingStatus: string;
  fundingRejectionReason?: string;
  cancellationReason?: string;
  participants: Record<string, ParticipantView>;
  participantOrder: string[];
  /** Day → ids present (the day's last record). */
  attendance: Record<string, string[]>;
  certificates: Record<string, CertificateView>;
  certificateCodes: string[];
  updatedAt: string;
}

export interface ParticipantView {
  id: string;
  personId: string;
  pii: EncryptedPii;
  sex: string;
  ageGroup: string;
  profession: string;
  region: string;
  status: string;
  preScore?: number;
  postScore?: number;
}

export interface CertificateView {
  code: string;
  participantId: string;
  issuedAt: string;
  revokedAt?: string;
  revocationReason?: string;
}

type Of<T extends TrainingSessionEvent['type']> = Extract<TrainingSessionEvent, { type: T }>['data'];
const touched = (e: StoredEvent) => ({ updatedAt: e.metadata.time });

/** Mongo update per event type; pure. Participant and certificate ids are field-name safe (`[A-Za-z0-9_-]`). */
export const sessionViewHandlers: Record<TrainingSessionEvent['type'], ProjectionHandler> = {
  TrainingSessionScheduled: (e) => {
    const d = e.data as Of<'TrainingSessionScheduled'>;
    return {
      $set: {
        scheduledPosition: e.position,
        ...listKeys(e.position),
        moduleId: d.moduleId,
        moduleTitle: d.moduleTitle,
        status: 'SCHEDULED',
        region: d.region,
        venue: d.venue,
        trainers: d.trainers,
        startDate: d.startDate,
        endDate: d.endDate,
        capacity: d.capacity,
        passMark: d.passMark,
        partnerIds: d.partnerIds,
        ...(d.budgetLineId !== undefined ? { budgetLineId: d.budgetLineId } : {}),
        ...(d.estimatedCost !== undefined ? { estimatedCost: d.estimatedCost } : {}),
        fundingStatus: 'NOT_REQUESTED',
        participants: {},
        participantOrder: [],
        attendance: {},
        certificates: {},
        certificateCodes: [],
        ...touched(e),
      },
    };
  },
  FundingRequested: (e) => ({ $set: { fundingStatus: 'REQUESTED', ...touched(e) } }),
  FundingApproved: (e) => ({ $set: { fundingStatus: 'APPROVED', ...touched(e) } }),
  FundingRejected: (e) => ({
    $set: { fundingStatus: 'REJECTED', fundingRejectionReason: (e.data as Of<'FundingRejected'>).reason, ...touched(e) },
  }),
  FundingWithdrawn: (e) => ({ $set: touched(e) }),
  ParticipantEnrolled: (e) => {
    const d = e.data as Of<'ParticipantEnrolled'>;
    const participant: ParticipantView = {
      id: d.participantId,
      personId: d.personId,
      pii: d.pii,
      sex: d.sex,
      ageGroup: d.ageGroup,
      profession: d.profession,
      region: d.region,
      status: d.status,
    };
    return {
      $set: { [`participants.${d.participantId}`]: participant, ...touched(e) },
      $push: { participantOrder: d.participantId },
    } as unknown as ProjectionUpdate;
  },
  ParticipantWithdrawn: (e) => ({
    $set: { [`participants.${(e.data as Of<'ParticipantWithdrawn'>).participantId}.status`]: 'WITHDRAWN', ...touched(e) },
  }),
  ParticipantPromoted: (e) => ({
    $set: { [`participants.${(e.data as Of<'ParticipantPromoted'>).participantId}.status`]: 'ENROLLED', ...touched(e) },
  }),
  TrainingSessionStarted: (e) => ({ $set: { status: 'IN_PROGRESS', ...touched(e) } }),
  AttendanceRecorded: (e) => {
    const d = e.data as Of<'AttendanceRecorded'>;
    return { $set: { [`attendance.${d.day}`]: d.presentParticipantIds, ...touched(e) } };
  },
  AssessmentRecorded: (e) => {
    const d = e.data as Of<'AssessmentRecorded'>;
    return { $set: { [`participants.${d.participantId}.${d.phase === 'PRE' ? 'preScore' : 'postScore'}`]: d.score, ...touched(e) } };
  },
  TrainingSessionCompleted: (e) => ({ $set: { status: 'COMPLETED', ...touched(e) } }),
  CertificateIssued: (e) => {
    const d = e.data as Of<'CertificateIssued'>;
    const certificate: CertificateView = { code: d.code, participantId: d.participantId, issuedAt: d.issuedAt };
    return {
      $set: { [`certificates.${d.code}`]: certificate, ...touched(e) },
      $push: { certificateCodes: d.code },
    } as unknown as ProjectionUpdate;
  },
  CertificateRevoked: (e) => {
    const d = e.data as Of<'CertificateRevoked'>;
    return {
      $set: { [`certificates.${d.code}.revokedAt`]: d.revokedAt, [`certificates.${d.code}.revocationReason`]: d.reason, ...touched(e) },
    };
  },
  TrainingSessionCancelled: (e) => ({
    $set: { status: 'CANCELLED', cancellationReason: (e.data as Of<'TrainingSessionCancelled'>).reason, ...touched(e) },
  }),
};
