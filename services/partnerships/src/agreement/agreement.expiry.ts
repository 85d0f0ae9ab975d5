import type { AgreementState, ExpiryThreshold } from './agreement.events';
import { EXPIRY_THRESHOLDS, exists, isInForce } from './agreement.events';

/*
 * The follow-up of agreements (docs/domain.md: "agreements that expire within 60 days are listed
 * for follow-up"), as pure functions of an agreement and a day. A scheduled daily check (the
 * adapter, with an injected clock) runs `RecordExpiryNotices { agreementId, today }` on every
 * signed or active agreement; the decider writes what `noticesDue` says is due.
 *
 * Exactly once per agreement, threshold and end date: a notice is written only if the state has
 * not recorded it (`noticesSent`), and the state is the stream's, appended with an expected
 * version. Two instances running the check, or a check run twice after a restart, both decide on
 * the same stream: the loser's append conflicts, is retried on the fresh state, and writes
 * nothing. A check that missed days writes every threshold reached since, largest first (the
 * first check 5 days before the end writes 60, 30 and 7), so no notice is ever skipped.
 *
 * A renewal moves the end date and clears `noticesSent`: the notices start again for the new end
 * date (a renewal to a date still within 60 days is noticed again at once, for that date).
 */

/** Days are compared as UTC calendar days: YYYY-MM-DD, no time of day, no time zone. */
const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;
}

/** Whole days from `today` to `endDate` (two valid YYYY-MM-DD dates): 0 on the last day, negative after it. */
export function daysUntil(endDate: string, today: string): number {
  return dayNumber(endDate) - dayNumber(today);
}

/** What the follow-up owes an agreement on a day. */
export interface NoticesDue {
  /** Thresholds reached and not yet noticed for the current end date, largest first. */
  readonly thresholds: readonly ExpiryThreshold[];
  /** Whether the agreement is to be marked EXPIRED (the day is after its end date). */
  readonly expired: boolean;
}

const NOTHING_DUE: NoticesDue = { thresholds: [], expired: false };

/**
 * The notices due on `today` (YYYY-MM-DD): only for a SIGNED or ACTIVE agreement; every
 * threshold with days left ≤ threshold not noticed yet, and the expiry once `today` is after the
 * end date (an agreement whose period ended gets the notices it missed, then its expiry).
 */
export function noticesDue(state: AgreementState, today: string): NoticesDue {
  if (!exists(state) || !isInForce(state)) return NOTHING_DUE;
  const left = daysUntil(state.period.end, today);
  const thresholds = EXPIRY_THRESHOLDS.filter((t) => left <= t && !state.noticesSent.includes(t));
  return { thresholds, expired: left < 0 };
}

/** What the read side passes to `agreementsExpiringWithin`: an agreement's state or a view of it. */
export interface ExpiringCandidate {
  readonly status: string;
  readonly period: { readonly end: string };
}

/**
 * The agreements in force (SIGNED or ACTIVE) whose period ends within `days` days of `today`
 * (`today` itself included: 0 ≤ days left ≤ `days`), soonest end first. One whose end date has
 * passed is not listed: it is expired, whether the daily check has marked it yet or not.
 */
export function agreementsExpiringWithin<T extends ExpiringCandidate>(agreements: readonly T[], today: string, days: number): T[] {
  return agreements
    .filter((a) => isInForce(a))
    .filter((a) => {
      const left = daysUntil(a.period.end, today);
      return left >= 0 && left <= days;
    })
    .sort((a, b) => (a.period.end < b.period.end ? -1 : a.period.end > b.period.end ? 1 : 0));
}
