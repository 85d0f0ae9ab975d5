import { type AnyAggregate, defineJob } from '@hrp/context-kit';
import { VERSION_FIELD } from '@hrp/messaging';
import type { AgreementCommand } from './agreement.decider';
import type { AgreementState } from './agreement.events';
import { EXPIRY_THRESHOLDS } from './agreement.events';
import { noticesDue } from './agreement.expiry';
import { AGREEMENT_VIEW, type AgreementViewDoc } from './projections/agreement-view.projection';

const DAY_MS = 86_400_000;
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The daily follow-up of agreements (issue 12): each run takes today from the injected clock,
 * reads the agreements in force whose end is at most 60 days away (the view, by status, indexed),
 * and runs `RecordExpiryNotices { today }` on those the view says owe a notice. The decider
 * decides again on the stream itself, so a lagging view, a second instance or a second run the
 * same day writes nothing twice (agreement.expiry.ts); a day the service was down is caught up
 * by the next run (every threshold reached since is written). Runs hourly: a new day is noticed
 * within the hour, and a run costs one indexed read when nothing is due.
 */
export function expiryCheck(aggregate: AnyAggregate) {
  return defineJob({
    name: 'agreement-expiry-check',
    actor: { subject: 'system:agreement-expiry-check', username: 'agreement-expiry-check' },
    everyMs: 3600_000,
    async run({ clock, run, collection }) {
      const today = clock.today();
      const horizon = addDays(today, Math.max(...EXPIRY_THRESHOLDS));
      const col = await collection(AGREEMENT_VIEW);
      const candidates = (await col
        .find(
          { status: { $in: ['SIGNED', 'ACTIVE'] }, endDate: { $lte: horizon }, [VERSION_FIELD]: { $gt: 0 } },
          { projection: { _id: 1, status: 1, period: 1, noticesSent: 1 } },
        )
        .toArray()) as unknown as Pick<AgreementViewDoc, '_id' | 'status' | 'period' | 'noticesSent'>[];
      let notices = 0;
      let expired = 0;
      const failed: string[] = [];
      for (const a of candidates) {
        const due = noticesDue({ ...a, id: a._id } as unknown as AgreementState, today);
        if (due.thresholds.length === 0 && !due.expired) continue;
        try {
          const r = await run<AgreementCommand>(aggregate, { type: 'RecordExpiryNotices', data: { agreementId: a._id, today } });
          for (const e of r.events) {
            if (e.type === 'AgreementExpiring') notices++;
            if (e.type === 'AgreementExpired') expired++;
          }
        } catch (e) {
          failed.push(`${a._id}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      // Each agreement is tried; one that failed is tried again at the next run, and the job shows failing until then.
      if (failed.length > 0)
        throw new Error(`${failed.length} of ${candidates.length} agreements not followed up: ${failed.slice(0, 3).join('; ')}`);
      return { today, inForceWithin60Days: candidates.length, notices, expired };
    },
  });
}
