/**
 * The indicators the reporting projections compute so far (issue 14, the domain's M&E catalogue):
 * how each figure comes out of its facts' sums, its unit and the breakdowns it supports.
 */
export type IndicatorUnit = 'PEOPLE' | 'ACTIVITIES' | 'POINTS' | 'PERCENT';

export interface IndicatorDefinition {
  code: string;
  name: { fr: string; en: string; ar: string };
  unit: IndicatorUnit;
  /** The figure from the sums of its facts (a count, a mean, a rate). */
  value(n: number, d: number): number;
  /** Breakdowns `breakdown(by)` answers. */
  breakdowns: readonly string[];
}

const count = (n: number) => n;
const mean = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 100) / 100);
const percent = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 100);

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    code: 'AWR-01',
    name: {
      fr: 'Personnes touchées par les activités de sensibilisation',
      en: 'People reached by awareness activities',
      ar: 'الأشخاص الذين شملتهم أنشطة التوعية',
    },
    unit: 'PEOPLE',
    value: count,
    breakdowns: ['region', 'quarter', 'sex', 'ageGroup', 'disability'],
  },
  {
    code: 'AWR-02',
    name: { fr: 'Activités de sensibilisation réalisées', en: 'Awareness activities held', ar: 'أنشطة التوعية المنجزة' },
    unit: 'ACTIVITIES',
    value: count,
    breakdowns: ['region', 'quarter', 'kind'],
  },
  {
    code: 'TRN-01',
    name: { fr: 'Personnes formées', en: 'People trained', ar: 'الأشخاص المكوَّنون' },
    unit: 'PEOPLE',
    value: count,
    breakdowns: ['region', 'quarter', 'sex', 'ageGroup', 'profession'],
  },
  {
    code: 'TRN-02',
    name: { fr: 'Gain moyen de connaissances', en: 'Average knowledge gain', ar: 'متوسط اكتساب المعارف' },
    unit: 'POINTS',
    value: mean,
    breakdowns: ['region', 'quarter', 'sex', 'ageGroup', 'profession'],
  },
  {
    code: 'TRN-03',
    name: { fr: 'Taux de certification', en: 'Certification rate', ar: 'نسبة الإشهاد' },
    unit: 'PERCENT',
    value: percent,
    breakdowns: ['region', 'quarter', 'sex', 'ageGroup', 'profession'],
  },
];

export const INDICATOR_BY_CODE: ReadonlyMap<string, IndicatorDefinition> = new Map(INDICATORS.map((i) => [i.code, i]));
