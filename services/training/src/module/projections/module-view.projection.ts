import { listKeys } from '@hrp/context-kit';
import { tagKey, type StoredEvent } from '@hrp/contracts';
import type { ProjectionHandler } from '@hrp/messaging';
import type { TrainingModuleEvent } from '../module.events';

/** Name of the read model (collections `training_module_view__v<generation>`). */
export const MODULE_VIEW = 'training_module_view';

/** One document per training module, listed in creation order (the reverse view of a tag reads it by `tagKeys`). */
export interface ModuleViewDoc {
  _id: string;
  _version: number;
  _position: number;
  /** The list's order: the position of TrainingModuleCreated, and its bucket and block (context-kit paging). */
  createdPosition: number;
  listBucket: number;
  listBlock: number;
  title: { fr: string; ar?: string; en?: string; zgh?: string };
  objectives?: { fr: string; ar?: string; en?: string; zgh?: string };
  status: string;
  professions: string[];
  instruments: string[];
  hours: number;
  tags: { kind: string; ref: string }[];
  /** `tagKey` of each tag (`UPR_RECOMMENDATION:4-148.12`): the reverse view reads by it (indexed). */
  tagKeys: string[];
  createdAt: string;
  updatedAt: string;
}

type Of<T extends TrainingModuleEvent['type']> = Extract<TrainingModuleEvent, { type: T }>['data'];
const touched = (e: StoredEvent) => ({ updatedAt: e.metadata.time });

/** Mongo update per event type; pure. */
export const moduleViewHandlers: Record<TrainingModuleEvent['type'], ProjectionHandler> = {
  TrainingModuleCreated: (e) => {
    const d = e.data as Of<'TrainingModuleCreated'>;
    return {
      $set: {
        createdPosition: e.position,
        ...listKeys(e.position),
        title: d.title,
        ...(d.objectives !== undefined ? { objectives: d.objectives } : {}),
        status: 'DRAFT',
        professions: d.professions,
        instruments: d.instruments,
        hours: d.hours,
        tags: d.tags,
        tagKeys: d.tags.map(tagKey),
        createdAt: e.metadata.time,
        ...touched(e),
      },
    };
  },
  TrainingModulePublished: (e) => ({ $set: { status: 'PUBLISHED', ...touched(e) } }),
  TrainingModuleRetired: (e) => ({ $set: { status: 'RETIRED', ...touched(e) } }),
};
