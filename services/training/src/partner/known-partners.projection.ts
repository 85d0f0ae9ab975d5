import type { StoredEvent } from '@hrp/contracts';
import type { ProjectionHandler } from '@hrp/messaging';

/** Name of the read model (collections `known_partners__v<generation>`). */
export const KNOWN_PARTNERS = 'known_partners';

/** The context whose events feed it. */
export const PARTNERSHIPS_CONTEXT = 'partnerships';

export type KnownPartnerStatus = 'ACTIVE' | 'INACTIVE';

/**
 * Training's local view of the partners partnerships has registered: one document per partner
 * stream (`_id` = the partner id, `partner-<uuid>`) with its status, so that a session naming a
 * partner is checked here, without a call to partnerships. Fed from partnerships' topic: agreement
 * events and partner events that do not change the status leave it untouched.
 */
export interface KnownPartnerDoc {
  _id: string;
  _version: number;
  _position: number;
  status: KnownPartnerStatus;
  updatedAt: string;
}

const status = (s: KnownPartnerStatus) => (e: StoredEvent) => ({ $set: { status: s, updatedAt: e.metadata.time } });

/** Mongo update per partnerships event type; pure (the same event always gives the same update). */
export const knownPartnersHandlers: Readonly<Record<string, ProjectionHandler>> = {
  PartnerRegistered: status('ACTIVE'),
  PartnerDeactivated: status('INACTIVE'),
  PartnerReactivated: status('ACTIVE'),
};
