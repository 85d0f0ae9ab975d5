import { breakdownOf, type IndicatorView } from './indicators.query';

/*
 * The synthesis report's content, from the indicators of a year (and region): every figure of
 * the report comes from the reporting projections, none is typed in. The renderers turn this model
 * into PDF, XLSX or CSV in a language.
 */

export type ReportLanguage = 'fr' | 'ar' | 'en' | 'zgh';
export const REPORT_LANGUAGES: readonly ReportLanguage[] = ['fr', 'ar', 'en', 'zgh'];
export type ReportFormat = 'PDF' | 'XLSX' | 'CSV';
export type TrafficLight = 'ON_TRACK' | 'AT_RISK' | 'OFF_TRACK' | 'NO_TARGET';
export type ReportUnit =
  'PEOPLE' | 'ACTIVITIES' | 'POINTS' | 'PERCENT' | 'AGREEMENTS' | 'MONEY' | 'RECOMMENDATIONS' | 'COMMITMENTS' | 'MONEY_PER_PERSON';

export interface ReportSlice {
  key: string;
  value: number;
}
export interface ReportBreakdown {
  by: string;
  slices: ReportSlice[];
}
export interface ReportIndicator {
  code: string;
  context: 'campaigns' | 'training' | 'partnerships' | 'advocacy' | 'finance' | 'cross';
  unit: ReportUnit;
  baseline: number | null;
  target: number | null;
  value: number;
  achievement: number | null;
  light: TrafficLight;
  breakdowns: ReportBreakdown[];
}
export interface ReportModel {
  year: number;
  region: string | null;
  generatedAt: string;
  currency: 'MAD';
  indicators: ReportIndicator[];
  charts: {
    reachByRegion: ReportSlice[];
    trainedByProfessionAndSex: { profession: string; female: number; male: number }[];
    budgetExecutionByArea: { area: string; allocated: number; spent: number }[];
  };
}

const CONTEXT_OF: Record<string, ReportIndicator['context']> = {
  AWR: 'campaigns',
  TRN: 'training',
  PRT: 'partnerships',
  ADV: 'advocacy',
  FIN: 'finance',
  X: 'cross',
};

const UNIT_OF: Record<string, ReportUnit> = {
  MAD_MINOR_UNITS: 'MONEY',
  MAD_MINOR_UNITS_PER_PERSON: 'MONEY_PER_PERSON',
};

/** The report's model from the year's indicators (the views `indicators(year, region)` gives). */
export function reportModel(year: number, region: string | null, views: readonly IndicatorView[], now = new Date()): ReportModel {
  const byCode = new Map(views.map((v) => [v.code, v]));
  const trained = byCode.get('TRN-01')?.sums.by.professionSex ?? {};
  const professions = new Map<string, { female: number; male: number }>();
  for (const [key, m] of Object.entries(trained)) {
    const [profession, sex] = key.split('|');
    const row = professions.get(profession) ?? { female: 0, male: 0 };
    if (sex === 'F') row.female += m.n;
    else if (sex === 'M') row.male += m.n;
    professions.set(profession, row);
  }
  const execution = byCode.get('FIN-01')?.sums.by.programmeArea ?? {};
  return {
    year,
    region,
    generatedAt: now.toISOString(),
    currency: 'MAD',
    indicators: views.map((v) => ({
      code: v.code,
      context: CONTEXT_OF[v.code.split('-')[0]] ?? 'cross',
      unit: UNIT_OF[v.unit] ?? (v.unit as ReportUnit),
      baseline: v.baseline,
      target: v.target,
      value: v.value,
      achievement: v.achievement,
      light: v.light,
      breakdowns: v.definition.breakdowns.map((by) => ({ by, slices: breakdownOf(v, by) })),
    })),
    charts: {
      reachByRegion: byCode.get('AWR-01') ? breakdownOf(byCode.get('AWR-01')!, 'region') : [],
      trainedByProfessionAndSex: [...professions.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([profession, r]) => ({ profession, ...r })),
      budgetExecutionByArea: Object.entries(execution)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([area, m]) => ({ area, allocated: m.d, spent: m.n })),
    },
  };
}
