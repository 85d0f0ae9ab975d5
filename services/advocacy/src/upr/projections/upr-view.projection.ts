import type { StoredEvent } from '@hrp/contracts';
import { listKeys } from '@hrp/context-kit';
import type { ProjectionHandler } from '@hrp/messaging';
import type { UprEvent } from '../upr.events';

/** Name of the read model (collections `upr_view__v<generation>`). */
export const UPR_VIEW = 'upr_view';

/**
 * One document per UPR recommendation, listed in import order (a file's order: its paragraphs).
 * Wiring: `list: { sortKey: 'importedPosition', indexed: ['cycle', 'response'] }`.
 */
export interface UprViewDoc {
  _id: string;
  _version: number;
  _position: number;
  importedPosition: number;
  listBucket: number;
  listBlock: number;
  ref: string;
  cycle: number;
  session: number;
  paragraph: string;
  text: string;
  recommendingState: string;
  response: 'SUPPORTED' | 'NOTED';
  themes: string[];
  importedAt: string;
  /** The last revision's time, if any. */
  revisedAt?: string;
  updatedAt: string;
}

/** The projection's list options, for the context definition. */
export const UPR_VIEW_LIST = { sortKey: 'importedPosition', indexed: ['cycle', 'response'] } as const;

type Of<T extends UprEvent['type']> = Extract<UprEvent, { type: T }>['data'];

export const uprViewHandlers: Record<UprEvent['type'], ProjectionHandler> = {
  UprRecommendationImported: (e: StoredEvent) => {
    const { uprId: _id, sourceLine: _line, ...d } = e.data as Of<'UprRecommendationImported'>;
    return {
      $set: {
        importedPosition: e.position,
        ...listKeys(e.position),
        ...d,
        themes: [...d.themes],
        importedAt: e.metadata.time,
        updatedAt: e.metadata.time,
      },
    };
  },
  UprRecommendationRevised: (e: StoredEvent) => {
    const { uprId: _id, ref: _ref, sourceLine: _line, ...changes } = e.data as Of<'UprRecommendationRevised'>;
    return {
      $set: {
        ...changes,
        ...(changes.themes !== undefined ? { themes: [...changes.themes] } : {}),
        revisedAt: e.metadata.time,
        updatedAt: e.metadata.time,
      },
    };
  },
};
