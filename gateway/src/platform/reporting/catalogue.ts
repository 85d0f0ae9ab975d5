/**
 * The indicators the reporting projections compute so far (issue 14, the domain's M&E catalogue):
 * how each figure comes out of its facts' sums, its unit and the breakdowns it supports.
 */
export type IndicatorUnit =
  | 'PEOPLE'
  | 'ACTIVITIES'
  | 'POINTS'
  | 'PERCENT'
  | 'AGREEMENTS'
  | 'RECOMMENDATIONS'
  | 'COMMITMENTS'
  | 'MAD_MINOR_UNITS'
  | 'MAD_MINOR_UNITS_PER_PERSON';

export interface IndicatorDefinition {
  code: string;
  /** Tamazight (zgh) in Tifinagh: written here without a native speaker's review; to be checked. */
  name: { fr: string; en: string; ar: string; zgh: string };
  unit: IndicatorUnit;
  /** The figure from the sums of its facts (a count, a mean, a rate). */
  value(n: number, d: number): number;
  /** Breakdowns `breakdown(by)` answers. */
  breakdowns: readonly string[];
  /** A stock (how many at a time): a year's figure is its year facts, a quarter's its quarter facts. Default: a flow, summed. */
  stock?: boolean;
  /** National: no region; a region filter does not apply to it. */
  national?: boolean;
  /** A cost per person: this indicator's sum over the sum of `per`'s (same period and scope). */
  per?: string;
}

const count = (n: number) => n;
const mean = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 100) / 100);
const percent = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 100);
const perPerson = (n: number, d: number) => (d === 0 ? 0 : Math.round(n / d));

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    code: 'AWR-01',
    name: {
      fr: 'Personnes touchées par les activités de sensibilisation',
      en: 'People reached by awareness activities',
      ar: 'الأشخاص الذين شملتهم أنشطة التوعية',
      zgh: 'ⵉⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵏⵖⵎⵙⵏ',
    },
    unit: 'PEOPLE',
    value: count,
    breakdowns: ['region', 'quarter', 'sex', 'ageGroup', 'disability'],
  },
  {
    code: 'AWR-02',
    name: {
      fr: 'Activités de sensibilisation réalisées',
      en: 'Awareness activities held',
      ar: 'أنشطة التوعية المنجزة',
      zgh: 'ⵜⵉⵎⵙⴽⵉⵡⵉⵏ ⵏ ⵓⵙⵙⵏⵖⵎⵙ',
    },
    unit: 'ACTIVITIES',
    value: count,
    breakdowns: ['region', 'quarter', 'kind'],
  },
  {
    code: 'TRN-01',
    name: { fr: 'Personnes formées', en: 'People trained', ar: 'الأشخاص المكوَّنون', zgh: 'ⵉⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵍⵎⴷⵏ' },
    unit: 'PEOPLE',
    value: count,
    breakdowns: ['region', 'quarter', 'sex', 'ageGroup', 'profession'],
  },
  {
    code: 'TRN-02',
    name: { fr: 'Gain moyen de connaissances', en: 'Average knowledge gain', ar: 'متوسط اكتساب المعارف', zgh: 'ⴰⵎⵎⴰⵙ ⵏ ⵜⵏⴼⵍⵉⵜ ⵏ ⵜⵎⵓⵙⵙⵏⴰ' },
    unit: 'POINTS',
    value: mean,
    breakdowns: ['region', 'quarter', 'sex', 'ageGroup', 'profession'],
  },
  {
    code: 'TRN-03',
    name: { fr: 'Taux de certification', en: 'Certification rate', ar: 'نسبة الإشهاد', zgh: 'ⴰⴼⵔⴷⵉⵙ ⵏ ⵓⵙⵙⵉⵏ' },
    unit: 'PERCENT',
    value: percent,
    breakdowns: ['region', 'quarter', 'sex', 'ageGroup', 'profession'],
  },
  {
    code: 'PRT-01',
    name: { fr: 'Conventions actives', en: 'Active agreements', ar: 'الاتفاقيات السارية', zgh: 'ⵜⵉⵎⵢⴰⵏⴰⵡⵉⵏ ⵢⵓⵙⵔⵏ' },
    unit: 'AGREEMENTS',
    value: count,
    breakdowns: ['partnerType'],
    stock: true,
    national: true,
  },
  {
    code: 'PRT-02',
    name: {
      fr: 'Contributions mobilisées auprès des partenaires',
      en: 'Partner contributions mobilised',
      ar: 'مساهمات الشركاء المعبأة',
      zgh: 'ⵜⵉⵡⵉⵙⵉ ⵏ ⵉⵎⴷⵓⴽⴽⴰⵍ',
    },
    unit: 'MAD_MINOR_UNITS',
    value: count,
    breakdowns: ['quarter', 'kind', 'partnerType'],
    national: true,
  },
  {
    code: 'ADV-01',
    name: { fr: 'Recommandations émises', en: 'Recommendations issued', ar: 'التوصيات الصادرة', zgh: 'ⵜⵉⵡⵏⵏⴰⵡⵉⵏ ⵉⵜⵜⵓⴼⴽⴰⵏ' },
    unit: 'RECOMMENDATIONS',
    value: count,
    breakdowns: ['quarter', 'addressee', 'source'],
    national: true,
  },
  {
    code: 'ADV-02',
    name: {
      fr: "Taux d'adoption des recommandations",
      en: 'Recommendation adoption rate',
      ar: 'نسبة اعتماد التوصيات',
      zgh: 'ⴰⴼⵔⴷⵉⵙ ⵏ ⵓⵙⵏⵜⵎ ⵏ ⵜⵡⵏⵏⴰⵡⵉⵏ',
    },
    unit: 'PERCENT',
    value: percent,
    breakdowns: ['quarter', 'addressee', 'source'],
    national: true,
  },
  {
    code: 'FIN-01',
    name: { fr: "Taux d'exécution budgétaire", en: 'Budget execution rate', ar: 'نسبة تنفيذ الميزانية', zgh: 'ⴰⴼⵔⴷⵉⵙ ⵏ ⵓⵙⵙⵎⵔⵙ ⵏ ⵜⵙⵏⴰⴼⵓⵜ' },
    unit: 'PERCENT',
    value: percent,
    breakdowns: ['programmeArea'],
    stock: true,
    national: true,
  },
  {
    code: 'FIN-02',
    name: {
      fr: "Engagements en attente d'approbation",
      en: 'Commitments awaiting approval',
      ar: 'الالتزامات في انتظار الموافقة',
      zgh: 'ⵉⵙⵎⴰⵔⵙⵏ ⵉⵜⵜⵔⴰⵊⵓⵏ ⴰⵙⵏⵜⵎ',
    },
    unit: 'COMMITMENTS',
    value: count,
    breakdowns: ['sourceType'],
    stock: true,
    national: true,
  },
  {
    code: 'X-01',
    name: {
      fr: 'Coût par personne formée',
      en: 'Cost per person trained',
      ar: 'الكلفة لكل شخص مكوَّن',
      zgh: 'ⵜⴰⵙⵇⴰⵎⵜ ⵉ ⵢⴰⵏ ⵓⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵍⵎⴷⵏ',
    },
    unit: 'MAD_MINOR_UNITS_PER_PERSON',
    value: perPerson,
    breakdowns: [],
    national: true,
    per: 'TRN-01',
  },
  {
    code: 'X-02',
    name: {
      fr: 'Coût par personne touchée',
      en: 'Cost per person reached',
      ar: 'الكلفة لكل شخص مستهدف',
      zgh: 'ⵜⴰⵙⵇⴰⵎⵜ ⵉ ⵢⴰⵏ ⵓⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵏⵖⵎⵙⵏ',
    },
    unit: 'MAD_MINOR_UNITS_PER_PERSON',
    value: perPerson,
    breakdowns: [],
    national: true,
    per: 'AWR-01',
  },
];

export const INDICATOR_BY_CODE: ReadonlyMap<string, IndicatorDefinition> = new Map(INDICATORS.map((i) => [i.code, i]));

/** An objective of the results framework (logframe) and its expected results, each measured by indicators. */
export interface Objective {
  id: string;
  name: { fr: string; en: string; ar: string };
  results: { id: string; name: { fr: string; en: string; ar: string }; indicators: readonly string[] }[];
}

/**
 * The directorate's results framework: objectives → expected results → indicators (every indicator
 * of the catalogue under one result). Configuration, as the logframe a strategic plan adopts;
 * baselines and yearly targets are set through the API (targets.ts).
 */
export const RESULTS_FRAMEWORK: readonly Objective[] = [
  {
    id: 'OBJ-1',
    name: {
      fr: 'Une culture des droits humains diffusée et des capacités renforcées',
      en: 'A human rights culture spread and capacities built',
      ar: 'نشر ثقافة حقوق الإنسان وتعزيز القدرات',
    },
    results: [
      {
        id: 'R-1.1',
        name: { fr: 'Le public est sensibilisé à ses droits', en: 'The public is aware of its rights', ar: 'الجمهور واعٍ بحقوقه' },
        indicators: ['AWR-01', 'AWR-02', 'X-02'],
      },
      {
        id: 'R-1.2',
        name: {
          fr: 'Les professionnels appliquent les normes des droits humains',
          en: 'Professionals apply human rights standards',
          ar: 'المهنيون يطبقون معايير حقوق الإنسان',
        },
        indicators: ['TRN-01', 'TRN-02', 'TRN-03', 'X-01'],
      },
    ],
  },
  {
    id: 'OBJ-2',
    name: {
      fr: 'Les recommandations du Conseil portées par des partenariats et traduites en politiques publiques',
      en: "The Council's recommendations carried by partnerships into public policy",
      ar: 'توصيات المجلس تحملها الشراكات إلى السياسات العمومية',
    },
    results: [
      {
        id: 'R-2.1',
        name: {
          fr: 'Des partenariats actifs mobilisent des ressources',
          en: 'Active partnerships mobilise resources',
          ar: 'شراكات فاعلة تعبئ الموارد',
        },
        indicators: ['PRT-01', 'PRT-02'],
      },
      {
        id: 'R-2.2',
        name: { fr: 'Les recommandations sont adoptées', en: 'Recommendations are adopted', ar: 'التوصيات معتمدة' },
        indicators: ['ADV-01', 'ADV-02'],
      },
    ],
  },
  {
    id: 'OBJ-3',
    name: { fr: 'Des ressources publiques gérées avec rigueur', en: 'Public resources managed soundly', ar: 'موارد عمومية مدبرة بصرامة' },
    results: [
      {
        id: 'R-3.1',
        name: { fr: 'Le budget est exécuté comme programmé', en: 'The budget is executed as planned', ar: 'الميزانية منفذة كما هو مبرمج' },
        indicators: ['FIN-01', 'FIN-02'],
      },
    ],
  },
];
