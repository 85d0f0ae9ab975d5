import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Connection, mongo } from 'mongoose';
import { fold, IllegalStateError } from '@hrp/domain-kit';
import { EVENT_STORE_CONNECTION, EventStore } from '@hrp/event-store';
import { partnerDecider, PartnerRules } from './partner.decider';
import { heldNameKey, type PartnerState } from './partner.events';

/** A reservation of an active partner's name key (partner.events.ts, `partnerNameKey`). */
interface NameReservation {
  /** The key itself: unique by construction (`_id`), on MongoDB and on FerretDB alike. */
  _id: string;
  partnerId: string;
  at: Date;
}

/** A reservation this recent is trusted without reading its holder: its holder may be appending right now. */
const GRACE_MS = 60_000;

/**
 * "No two active partners with the same normalised name and country" (issue 12) spans streams,
 * so the adapter reserves the key in `partner_names` (one document per key, `_id` = key) before
 * it appends PartnerRegistered or PartnerReactivated, and releases it after PartnerDeactivated.
 *
 * Crash-safe without transactions: a reservation whose holder does not hold the key (the process
 * died between the reservation and the append, or between a deactivation and the release) is
 * taken over once it is older than a minute: removed, then claimed by a unique insert that only one
 * claimant wins.
 * A reservation younger than that is the holder's registration in progress: the claimant is
 * refused, as it would be a moment later.
 */
@Injectable()
export class PartnerNames implements OnModuleInit {
  static readonly COLLECTION = 'partner_names';

  constructor(
    @Inject(EVENT_STORE_CONNECTION) private readonly connection: Connection,
    private readonly store: EventStore,
  ) {}

  private collection(): mongo.Collection<NameReservation> {
    return this.connection.db!.collection<NameReservation>(PartnerNames.COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    // The collection exists before two first registrations race to create it.
    await this.collection()
      .createIndex({ partnerId: 1 })
      .catch(() => undefined);
  }

  /** Reserves `key` for `partnerId`; refused with `partnerships.partner.name-taken` when an active partner holds it. */
  async reserve(key: string, partnerId: string, now = Date.now()): Promise<void> {
    const col = this.collection();
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await col.insertOne({ _id: key, partnerId, at: new Date(now) });
        return;
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
      }
      const held = await col.findOne({ _id: key });
      if (!held) continue; // released in the meantime: try again
      if (held.partnerId === partnerId) return; // ours already (a retried request)
      const holder: PartnerState = fold(partnerDecider, (await this.store.readStream(held.partnerId)) as never[]);
      if (heldNameKey(holder) === key || now - held.at.getTime() < GRACE_MS)
        throw new IllegalStateError(
          PartnerRules.nameTaken,
          `an active partner with the same name in the same country exists (${held.partnerId}): reactivate or update it instead`,
        );
      // Stale: removed, then claimed by a unique insert like any other (FerretDB's updates are not
      // atomic under concurrency; a unique insert is): of two claimants, one insert wins.
      await col.deleteOne({ _id: key, partnerId: held.partnerId, at: held.at });
    }
    throw new Error(`the reservation of a partner name kept changing under five attempts: retry`);
  }

  /** After a failed registration or reactivation: gives `key` back unless the partner holds it (an earlier success). */
  async releaseUnlessHeld(key: string, partnerId: string): Promise<void> {
    const state: PartnerState = fold(partnerDecider, (await this.store.readStream(partnerId)) as never[]);
    if (heldNameKey(state) !== key) await this.release(key, partnerId);
  }

  /** Gives `key` back, if `partnerId` holds it. */
  async release(key: string, partnerId: string): Promise<void> {
    await this.collection().deleteOne({ _id: key, partnerId });
  }
}
