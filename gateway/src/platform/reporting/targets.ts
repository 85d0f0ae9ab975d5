import { EventRegistry, eventTypeV1 } from '@hrp/contracts';

/*
 * The results framework's figures set by people (issue 14): an indicator's baseline and target
 * for a year, set by the director or an M&E officer. Each setting is an event of the gateway's own
 * store (stream `indicator-<code>-<year>`, the person as its actor, the reason in it), published to
 * the gateway topic like user administration, so the audit trail shows who set what and why.
 *
 * Achievement = (actual − baseline) / (target − baseline), with a traffic light whose thresholds
 * are configuration (INDICATOR_ON_TRACK, INDICATOR_AT_RISK).
 */

export const TARGET_STREAM_PREFIX = 'indicator-';
export const targetStream = (code: string, year: number): string => `${TARGET_STREAM_PREFIX}${code}-${year}`;

export interface IndicatorTargetSet {
  readonly code: string;
  readonly year: number;
  readonly target: number;
  readonly baseline: number;
  readonly reason: string | null;
}

export const reportingRegistry = new EventRegistry('gateway').register(
  eventTypeV1(
    'IndicatorTargetSet',
    {
      type: 'object',
      required: ['code', 'year', 'target', 'baseline', 'reason'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', minLength: 1, maxLength: 20 },
        year: { type: 'integer', minimum: 2000, maximum: 2100 },
        target: { type: 'number' },
        baseline: { type: 'number' },
        reason: { type: ['string', 'null'], maxLength: 500 },
      },
    },
    "the director or an M&E officer set an indicator's baseline and target for a year",
  ),
);

export type TrafficLight = 'ON_TRACK' | 'AT_RISK' | 'OFF_TRACK' | 'NO_TARGET';

/** (actual − baseline) / (target − baseline), rounded to 4 decimals; null without a target or when target = baseline. */
export function achievementOf(value: number, baseline: number | null, target: number | null): number | null {
  if (target === null) return null;
  const base = baseline ?? 0;
  if (target === base) return null;
  return Math.round(((value - base) / (target - base)) * 10_000) / 10_000;
}

/** The light of an achievement: on track from `onTrack`, at risk from `atRisk`, off track below. */
export function lightOf(achievement: number | null, thresholds: { onTrack: number; atRisk: number }): TrafficLight {
  if (achievement === null) return 'NO_TARGET';
  if (achievement >= thresholds.onTrack) return 'ON_TRACK';
  if (achievement >= thresholds.atRisk) return 'AT_RISK';
  return 'OFF_TRACK';
}

/** The input of `setIndicatorTarget`, checked: a problem is a message and its field. */
export function targetIssues(input: { target: unknown; baseline?: unknown; reason?: unknown }): { field: string; message: string } | null {
  if (typeof input.target !== 'number' || !Number.isFinite(input.target) || input.target < 0)
    return { field: 'target', message: 'target: a finite number, zero or more' };
  if (input.baseline != null && (typeof input.baseline !== 'number' || !Number.isFinite(input.baseline) || input.baseline < 0))
    return { field: 'baseline', message: 'baseline: a finite number, zero or more' };
  if (input.baseline != null && input.baseline === input.target)
    return { field: 'target', message: 'target: different from the baseline (achievement is measured between them)' };
  if (input.reason != null && (typeof input.reason !== 'string' || input.reason.trim() === '' || input.reason.length > 500))
    return { field: 'reason', message: 'reason: 1 to 500 characters' };
  return null;
}
