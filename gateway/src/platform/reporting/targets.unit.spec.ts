import { achievementOf, lightOf, reportingRegistry, targetIssues, targetStream } from './targets';

describe('indicator targets', () => {
  const thresholds = { onTrack: 0.9, atRisk: 0.6 };

  it('measures achievement between baseline and target', () => {
    expect(achievementOf(71, 20, 120)).toBe(0.51);
    expect(achievementOf(120, 20, 120)).toBe(1);
    expect(achievementOf(10, 20, 120)).toBe(-0.1);
    // A target below the baseline (a figure to bring down): achievement still grows towards it.
    expect(achievementOf(5, 10, 0)).toBe(0.5);
    expect(achievementOf(50, null, 100)).toBe(0.5);
    expect(achievementOf(50, 10, null)).toBeNull();
    expect(achievementOf(50, 10, 10)).toBeNull();
  });

  it('gives the traffic light from configured thresholds', () => {
    expect(lightOf(0.95, thresholds)).toBe('ON_TRACK');
    expect(lightOf(0.9, thresholds)).toBe('ON_TRACK');
    expect(lightOf(0.6, thresholds)).toBe('AT_RISK');
    expect(lightOf(0.59, thresholds)).toBe('OFF_TRACK');
    expect(lightOf(null, thresholds)).toBe('NO_TARGET');
    expect(lightOf(0.7, { onTrack: 0.7, atRisk: 0.5 })).toBe('ON_TRACK');
  });

  it('refuses bad targets, baselines and reasons, naming the field', () => {
    expect(targetIssues({ target: 100, baseline: 10, reason: 'plan 2026' })).toBeNull();
    expect(targetIssues({ target: -1 })?.field).toBe('target');
    expect(targetIssues({ target: Number.NaN })?.field).toBe('target');
    expect(targetIssues({ target: 10, baseline: -3 })?.field).toBe('baseline');
    expect(targetIssues({ target: 10, baseline: 10 })?.field).toBe('target');
    expect(targetIssues({ target: 10, reason: ' ' })?.field).toBe('reason');
    expect(targetIssues({ target: 10, reason: 'x'.repeat(501) })?.field).toBe('reason');
  });

  it('records a setting as a registered event on the indicator-year stream', () => {
    expect(targetStream('AWR-01', 2026)).toBe('indicator-AWR-01-2026');
    expect(() =>
      reportingRegistry.validate('IndicatorTargetSet', { code: 'AWR-01', year: 2026, target: 1, baseline: 0, reason: null }),
    ).not.toThrow();
    expect(() => reportingRegistry.validate('IndicatorTargetSet', { code: 'AWR-01', year: 2026, target: 1 })).toThrow();
  });
});
