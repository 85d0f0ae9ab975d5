import { Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { ContextRuntime } from '@hrp/context-kit';
import { VERSION_FIELD } from '@hrp/messaging';
import type { KnownPartner } from '../session/session.decider';
import { config } from '../config';
import { KNOWN_PARTNERS, type KnownPartnerDoc } from './known-partners.projection';

/** Pause between two reads of the view while ids are missing. */
const POLL_MS = 100;

/**
 * Looks partner ids up in `known_partners`. The view follows partnerships' topic, so a partner
 * registered a moment ago may not be in it yet: while some ids are missing, it reads again, for at
 * most READ_WAIT_MS. What is still missing then is unknown (the decider refuses it).
 */
@Injectable()
export class KnownPartners {
  constructor(private readonly runtime: ContextRuntime) {}

  /** More than `max` ids are not looked up (the decider refuses the list as too long). */
  async lookUp(ids: readonly string[] | null | undefined, opts: { max: number; waitMs?: number }): Promise<KnownPartner[]> {
    const wanted = [...new Set((ids ?? []).filter((id): id is string => typeof id === 'string'))];
    if (wanted.length === 0 || wanted.length > opts.max) return [];
    const waitMs = opts.waitMs ?? config.READ_WAIT_MS;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const col = (await this.runtime.view(KNOWN_PARTNERS).collection()) as unknown as mongo.Collection<KnownPartnerDoc>;
      const docs = await col
        .find({ _id: { $in: wanted }, [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<KnownPartnerDoc>, { projection: { status: 1 } })
        .toArray();
      if (docs.length >= wanted.length || Date.now() >= deadline) return docs.map((d) => ({ id: d._id, status: d.status }));
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    }
  }
}
