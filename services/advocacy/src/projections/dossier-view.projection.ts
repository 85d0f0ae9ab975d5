import { tagKey, type HumanRightsTag, type LocalizedText, type StoredEvent } from '@hrp/contracts';
import { listKeys, searchFields } from '@hrp/context-kit';
import type { ProjectionHandler } from '@hrp/messaging';
import type { DossierEvent, Evidence } from '../dossier/dossier.events';

/** Name of the read model (collections `dossier_view__v<generation>`). */
export const DOSSIER_VIEW = 'dossier_view';

export interface RecommendationEntry {
  id: string;
  text: LocalizedText;
  addressee: string;
  source: string;
  issuedOn: string;
  tags: HumanRightsTag[];
  status: string;
  history: { status: string; from?: string; evidence?: Evidence; recordedAt: string }[];
}

export interface EngagementEntry {
  id: string;
  kind: string;
  date: string;
  stakeholders: string[];
  outcome?: string;
}

/**
 * One document per dossier (its stream), listed in opening order, with its recommendations and
 * engagements inside it (they live in the dossier's stream; a read model document is a stream's).
 * Recommendations are kept by id (`recommendations.<id>`: updated in place by dotted paths) in
 * issue order (`recommendationOrder`); what recommendations are looked up by — their ids, their
 * addressees, their years of issue, their tags — is mirrored in arrays a multikey index serves
 * (`recIds`, `recAddressees`, `recYears`, `recTagKeys`). A recommendation's status changes, so
 * it is filtered on the documents those indexes return.
 */
export interface DossierViewDoc {
  _id: string;
  _version: number;
  _position: number;
  openedPosition: number;
  listBucket: number;
  listBlock: number;
  topic: LocalizedText;
  target: string;
  status: string;
  objective?: LocalizedText;
  instruments: string[];
  themes: string[];
  tags: HumanRightsTag[];
  tagKeys: string[];
  searchTerms: string[];
  searchWords: string;
  openedAt: string;
  closedAt?: string;
  outcome?: string;
  recommendations: Record<string, RecommendationEntry>;
  recommendationOrder: string[];
  recIds: string[];
  recAddressees: string[];
  recYears: number[];
  recTagKeys: string[];
  engagements: Record<string, EngagementEntry>;
  engagementOrder: string[];
  updatedAt: string;
}

type Of<T extends DossierEvent['type']> = Extract<DossierEvent, { type: T }>['data'];
const touched = (e: StoredEvent) => ({ updatedAt: e.metadata.time });

export const dossierViewHandlers: Record<DossierEvent['type'], ProjectionHandler> = {
  DossierOpened: (e) => {
    const d = e.data as Of<'DossierOpened'>;
    return {
      $set: {
        openedPosition: e.position,
        ...listKeys(e.position),
        topic: d.topic,
        target: d.target,
        status: 'OPEN',
        ...(d.objective ? { objective: d.objective } : {}),
        instruments: d.instruments,
        themes: d.themes,
        tags: d.tags,
        tagKeys: d.tags.map(tagKey),
        ...searchFields([d.topic.fr, d.topic.ar, d.topic.en, d.topic.zgh]),
        openedAt: d.openedAt,
        recommendations: {},
        recommendationOrder: [],
        recIds: [],
        recAddressees: [],
        recYears: [],
        recTagKeys: [],
        engagements: {},
        engagementOrder: [],
        ...touched(e),
      },
    };
  },
  RecommendationIssued: (e) => {
    const d = e.data as Of<'RecommendationIssued'>;
    const entry: RecommendationEntry = {
      id: d.recommendationId,
      text: d.text,
      addressee: d.addressee,
      source: d.source,
      issuedOn: d.issuedOn,
      tags: [...d.tags],
      status: 'ISSUED',
      history: [{ status: 'ISSUED', recordedAt: d.recordedAt }],
    };
    return {
      $set: { [`recommendations.${d.recommendationId}`]: entry, ...touched(e) },
      $push: {
        recommendationOrder: d.recommendationId,
        recIds: d.recommendationId,
        recAddressees: d.addressee,
        recYears: Number(d.issuedOn.slice(0, 4)),
        recTagKeys: { $each: d.tags.map(tagKey) },
      },
    } as never;
  },
  RecommendationStatusChanged: (e) => {
    const d = e.data as Of<'RecommendationStatusChanged'>;
    return {
      $set: { [`recommendations.${d.recommendationId}.status`]: d.to, ...touched(e) },
      $push: {
        [`recommendations.${d.recommendationId}.history`]: { status: d.to, from: d.from, evidence: d.evidence, recordedAt: d.recordedAt },
      },
    } as never;
  },
  EngagementLogged: (e) => {
    const d = e.data as Of<'EngagementLogged'>;
    const entry: EngagementEntry = {
      id: d.engagementId,
      kind: d.kind,
      date: d.date,
      stakeholders: [...d.stakeholders],
      ...(d.outcome !== undefined ? { outcome: d.outcome } : {}),
    };
    return { $set: { [`engagements.${d.engagementId}`]: entry, ...touched(e) }, $push: { engagementOrder: d.engagementId } } as never;
  },
  EngagementOutcomeRecorded: (e) => {
    const d = e.data as Of<'EngagementOutcomeRecorded'>;
    return { $set: { [`engagements.${d.engagementId}.outcome`]: d.outcome, ...touched(e) } };
  },
  DossierClosed: (e) => {
    const d = e.data as Of<'DossierClosed'>;
    return { $set: { status: 'CLOSED', outcome: d.outcome, closedAt: d.closedAt, ...touched(e) } };
  },
};
