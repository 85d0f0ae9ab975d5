import type { ReportLanguage } from '../synthesis';

/*
 * The words of the synthesis report in its four languages. Tamazight (zgh) is written in Tifinagh;
 * these were written without a native speaker's review and are to be checked (IRCAM's lexicon).
 */

type Words = Record<ReportLanguage, string>;

export const HEADERS: Record<string, Words> = {
  code: { fr: 'Code', ar: 'الرمز', en: 'Code', zgh: 'ⴰⵏⴰⵎⴽ' },
  indicator: { fr: 'Indicateur', ar: 'المؤشر', en: 'Indicator', zgh: 'ⴰⵏⵎⴰⵍ' },
  unit: { fr: 'Unité', ar: 'الوحدة', en: 'Unit', zgh: 'ⵜⴰⵢⵓⵏⵉⵜ' },
  baseline: { fr: 'Référence', ar: 'خط الأساس', en: 'Baseline', zgh: 'ⴰⵙⴰⵍⵓ' },
  target: { fr: 'Cible', ar: 'الهدف', en: 'Target', zgh: 'ⴰⵏⵙⴰⵢ' },
  value: { fr: 'Valeur', ar: 'القيمة', en: 'Value', zgh: 'ⴰⵣⴰⵍ' },
  achievement: { fr: 'Réalisation', ar: 'نسبة الإنجاز', en: 'Achievement', zgh: 'ⴰⵙⵎⴷⵓ' },
  light: { fr: 'Statut', ar: 'الحالة', en: 'Status', zgh: 'ⴰⴷⴷⴰⴷ' },
  breakdown: { fr: 'Ventilation', ar: 'التوزيع', en: 'Breakdown', zgh: 'ⴰⴱⵟⵟⵓ' },
  key: { fr: 'Catégorie', ar: 'الفئة', en: 'Category', zgh: 'ⵜⴰⴳⵔⵎⵎⴰⵢⵜ' },
  area: { fr: 'Domaine', ar: 'المجال', en: 'Area', zgh: 'ⴰⵏⵖⵍ' },
  allocated: { fr: 'Alloué (MAD)', ar: 'المخصص (درهم)', en: 'Allocated (MAD)', zgh: 'ⵉⵜⵜⵓⵙⵏⵎⴰⵍ (MAD)' },
  spent: { fr: 'Dépensé (MAD)', ar: 'المصروف (درهم)', en: 'Spent (MAD)', zgh: 'ⵉⵜⵜⵓⵙⵎⵔⵙ (MAD)' },
  profession: { fr: 'Profession', ar: 'المهنة', en: 'Profession', zgh: 'ⵜⴰⵡⵓⵔⵉ' },
  female: { fr: 'Femmes', ar: 'نساء', en: 'Women', zgh: 'ⵜⵉⵎⵖⴰⵔⵉⵏ' },
  male: { fr: 'Hommes', ar: 'رجال', en: 'Men', zgh: 'ⵉⵔⴳⴰⵣⵏ' },
  region: { fr: 'Région', ar: 'الجهة', en: 'Region', zgh: 'ⵜⴰⵎⵏⴰⴹⵜ' },
  reach: { fr: 'Personnes touchées', ar: 'الأشخاص المستهدفون', en: 'People reached', zgh: 'ⵉⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵏⵖⵎⵙⵏ' },
};

export const TITLE: Words = {
  fr: 'Rapport de synthèse — Promotion des droits humains',
  ar: 'التقرير التركيبي — النهوض بحقوق الإنسان',
  en: 'Synthesis report — Human rights promotion',
  zgh: 'ⴰⵏⵇⵇⵉⵙ ⴰⵎⵙⵎⵓⵏ — ⴰⵙⵏⴼⵍⵓⵍ ⵏ ⵉⵣⵔⴼⴰⵏ ⵏ ⵓⴼⴳⴰⵏ',
};

export const LIGHTS: Record<string, Words> = {
  ON_TRACK: { fr: 'En bonne voie', ar: 'في المسار الصحيح', en: 'On track', zgh: 'ⴳ ⵓⴱⵔⵉⴷ' },
  AT_RISK: { fr: 'À risque', ar: 'معرض للخطر', en: 'At risk', zgh: 'ⴳ ⵓⵙⵓⵔⵙ' },
  OFF_TRACK: { fr: 'En retard', ar: 'متأخر', en: 'Off track', zgh: 'ⵉⵜⵜⵓⴳⴳⴰⵡ' },
  NO_TARGET: { fr: 'Sans cible', ar: 'بدون هدف', en: 'No target', zgh: 'ⴱⵍⴰ ⴰⵏⵙⴰⵢ' },
};

export const UNITS: Record<string, Words> = {
  PEOPLE: { fr: 'personnes', ar: 'أشخاص', en: 'people', zgh: 'ⵉⵎⴷⴷⴰⵏ' },
  ACTIVITIES: { fr: 'activités', ar: 'أنشطة', en: 'activities', zgh: 'ⵜⵉⵎⵙⴽⵉⵡⵉⵏ' },
  POINTS: { fr: 'points', ar: 'نقاط', en: 'points', zgh: 'ⵜⵉⵏⵇⵉⴹⵉⵏ' },
  PERCENT: { fr: '%', ar: '%', en: '%', zgh: '%' },
  AGREEMENTS: { fr: 'conventions', ar: 'اتفاقيات', en: 'agreements', zgh: 'ⵜⵉⵎⵢⴰⵏⴰⵡⵉⵏ' },
  MONEY: { fr: 'MAD', ar: 'درهم', en: 'MAD', zgh: 'MAD' },
  RECOMMENDATIONS: { fr: 'recommandations', ar: 'توصيات', en: 'recommendations', zgh: 'ⵜⵉⵡⵏⵏⴰⵡⵉⵏ' },
  COMMITMENTS: { fr: 'engagements', ar: 'التزامات', en: 'commitments', zgh: 'ⵉⵙⵎⴰⵔⵙⵏ' },
  MONEY_PER_PERSON: { fr: 'MAD par personne', ar: 'درهم للشخص', en: 'MAD per person', zgh: 'MAD / ⴰⵎⴷⴷⴰⵏ' },
};

/** Money in the model is integer minor units (MAD); the report shows MAD. */
export const isMoney = (unit: string) => unit === 'MONEY' || unit === 'MONEY_PER_PERSON';
