import type { StoredEvent } from '@hrp/contracts';
import type { ProjectionHandler } from '@hrp/messaging';
import type { TrainingModuleEvent } from '../module.events';

/** Name of the read model (collections `training_module_view__v<generation>`). */
export const MODULE_VIEW = 'training_module_view';

/** One document per training module. */
export interface ModuleViewDoc {
  _id: string;
  _version: number;
  _position: number;
  title: { fr: string; ar?: string; en?: string; zgh?: string };
  objectives?: { fr: string; ar?: string; en?: string; zgh?: string };
  status: string;
  professions: string[];
  instruments: string[];
  hours: number;
  tags: { kind: string; ref: string }[];
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
        title: d.title,
        ...(d.objectives !== undefined ? { objectives: d.objectives } : {}),
        status: 'DRAFT',
        professions: d.professions,
        instruments: d.instruments,
        hours: d.hours,
        tags: d.tags,
        ...touched(e),
      },
    };
  },
  TrainingModulePublished: (e) => ({ $set: { status: 'PUBLISHED', ...touched(e) } }),
  TrainingModuleRetired: (e) => ({ $set: { status: 'RETIRED', ...touched(e) } }),
};
