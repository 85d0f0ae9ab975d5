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

/** What each breakdown is by. */
export const DIMENSIONS: Record<string, Words> = {
  region: { fr: 'Région', ar: 'الجهة', en: 'Region', zgh: 'ⵜⴰⵎⵏⴰⴹⵜ' },
  quarter: { fr: 'Trimestre', ar: 'الفصل', en: 'Quarter', zgh: 'Trimestre' },
  sex: { fr: 'Sexe', ar: 'الجنس', en: 'Sex', zgh: 'Sexe' },
  ageGroup: { fr: 'Tranche d’âge', ar: 'الفئة العمرية', en: 'Age group', zgh: 'Tranche d’âge' },
  disability: { fr: 'Handicap', ar: 'الإعاقة', en: 'Disability', zgh: 'Handicap' },
  profession: HEADERS.profession,
  kind: { fr: 'Type d’activité', ar: 'نوع النشاط', en: 'Activity kind', zgh: 'Type d’activité' },
  partner: { fr: 'Partenaire', ar: 'الشريك', en: 'Partner', zgh: 'Partenaire' },
  partnerType: { fr: 'Type de partenaire', ar: 'نوع الشريك', en: 'Partner type', zgh: 'Type de partenaire' },
  addressee: { fr: 'Destinataire', ar: 'الجهة المعنية', en: 'Addressee', zgh: 'Destinataire' },
  source: { fr: 'Source', ar: 'المصدر', en: 'Source', zgh: 'Source' },
  programmeArea: HEADERS.area,
  line: { fr: 'Ligne budgétaire', ar: 'البند', en: 'Budget line', zgh: 'Ligne budgétaire' },
  sourceType: { fr: 'Origine', ar: 'الأصل', en: 'Origin', zgh: 'Origine' },
};

type Tri = { fr: string; ar: string; en: string; zgh?: string };

/**
 * The words for the keys of a breakdown (the platform's codes). Tamazight has words here only
 * where the report already uses them; elsewhere it shows the French word, as the institution's
 * Tamazight documents do for terms without an established Tifinagh equivalent: to be completed
 * with IRCAM's lexicon by a native speaker, not guessed.
 */
const KEYS: Record<string, Tri> = {
  F: { fr: 'Femmes', ar: 'نساء', en: 'Women', zgh: HEADERS.female.zgh },
  M: { fr: 'Hommes', ar: 'رجال', en: 'Men', zgh: HEADERS.male.zgh },
  UNDISCLOSED: { fr: 'Non précisé', ar: 'غير محدد', en: 'Not stated' },
  WITH_DISABILITY: { fr: 'En situation de handicap', ar: 'في وضعية إعاقة', en: 'With a disability' },
  OTHER: { fr: 'Autre', ar: 'أخرى', en: 'Other' },
  UNDER_18: { fr: 'Moins de 18 ans', ar: 'أقل من 18 سنة', en: 'Under 18' },
  AGE_18_24: { fr: '18–24 ans', ar: '18–24 سنة', en: '18–24' },
  AGE_25_34: { fr: '25–34 ans', ar: '25–34 سنة', en: '25–34' },
  AGE_35_59: { fr: '35–59 ans', ar: '35–59 سنة', en: '35–59' },
  AGE_60_PLUS: { fr: '60 ans et plus', ar: '60 سنة فأكثر', en: '60 and over' },
  CIVIL_SERVANT: { fr: 'Fonctionnaires', ar: 'موظفون عموميون', en: 'Civil servants' },
  TEACHER: { fr: 'Enseignants', ar: 'مدرسون', en: 'Teachers' },
  HEALTH_PROFESSIONAL: { fr: 'Professionnels de santé', ar: 'مهنيو الصحة', en: 'Health professionals' },
  CIVIL_SOCIETY: { fr: 'Société civile', ar: 'المجتمع المدني', en: 'Civil society' },
  LAW_ENFORCEMENT: { fr: 'Forces de l’ordre', ar: 'المكلفون بإنفاذ القانون', en: 'Law enforcement' },
  JUDICIARY: { fr: 'Magistrats', ar: 'القضاة', en: 'Judiciary' },
  JOURNALIST: { fr: 'Journalistes', ar: 'صحفيون', en: 'Journalists' },
  LAWYER: { fr: 'Avocats', ar: 'محامون', en: 'Lawyers' },
  SOCIAL_WORKER: { fr: 'Travailleurs sociaux', ar: 'مساعدون اجتماعيون', en: 'Social workers' },
  WORKSHOP: { fr: 'Atelier', ar: 'ورشة', en: 'Workshop' },
  SEMINAR: { fr: 'Séminaire', ar: 'ندوة', en: 'Seminar' },
  CONFERENCE: { fr: 'Conférence', ar: 'مؤتمر', en: 'Conference' },
  WEBINAR: { fr: 'Webinaire', ar: 'ندوة عن بعد', en: 'Webinar' },
  MEDIA_SPOT: { fr: 'Spot média', ar: 'وصلة إعلامية', en: 'Media spot' },
  CARAVAN: { fr: 'Caravane', ar: 'قافلة', en: 'Caravan' },
  NGO: { fr: 'Association', ar: 'جمعية', en: 'NGO' },
  UNIVERSITY: { fr: 'Université', ar: 'جامعة', en: 'University' },
  INTERNATIONAL_ORGANIZATION: { fr: 'Organisation internationale', ar: 'منظمة دولية', en: 'International organisation' },
  PUBLIC_INSTITUTION: { fr: 'Institution publique', ar: 'مؤسسة عمومية', en: 'Public institution' },
  MEDIA: { fr: 'Média', ar: 'وسائل الإعلام', en: 'Media' },
  PRIVATE_SECTOR: { fr: 'Secteur privé', ar: 'القطاع الخاص', en: 'Private sector' },
  UNKNOWN: { fr: 'Inconnu', ar: 'غير معروف', en: 'Unknown' },
  AWARENESS: { fr: 'Sensibilisation', ar: 'التحسيس', en: 'Awareness' },
  TRAINING: { fr: 'Formation', ar: 'التكوين', en: 'Training' },
  PARTNERSHIPS: { fr: 'Partenariats', ar: 'الشراكات', en: 'Partnerships' },
  ADVOCACY: { fr: 'Plaidoyer', ar: 'الترافع', en: 'Advocacy' },
  OPERATIONS: { fr: 'Fonctionnement', ar: 'التسيير', en: 'Operations' },
  INSTITUTION_OPINION: { fr: 'Avis de l’institution', ar: 'رأي المؤسسة', en: 'Institution’s opinion' },
  MEMORANDUM: { fr: 'Mémorandum', ar: 'مذكرة', en: 'Memorandum' },
  ANNUAL_REPORT: { fr: 'Rapport annuel', ar: 'التقرير السنوي', en: 'Annual report' },
  UPR_CYCLE: { fr: 'Cycle de l’EPU', ar: 'دورة الاستعراض الدوري الشامل', en: 'UPR cycle' },
  TREATY_BODY: { fr: 'Organe de traité', ar: 'هيئة معاهدة', en: 'Treaty body' },
  SPECIAL_PROCEDURE: { fr: 'Procédure spéciale', ar: 'إجراء خاص', en: 'Special procedure' },
  CAMPAIGN: { fr: 'Campagne', ar: 'حملة', en: 'Campaign' },
  TRAINING_SESSION: { fr: 'Session de formation', ar: 'دورة تكوينية', en: 'Training session' },
  AGREEMENT: { fr: 'Convention', ar: 'اتفاقية', en: 'Agreement' },
};

const QUARTER: Words = { fr: 'T', ar: 'ف', en: 'Q', zgh: 'T' };

/** A breakdown's dimension in words. */
export function dimensionLabel(by: string, language: ReportLanguage): string {
  return DIMENSIONS[by]?.[language] ?? by;
}

/**
 * A breakdown key in words: a code of the platform's vocabulary in the language (Tamazight: the
 * French word where it has none yet), a quarter as T1/ف1/Q1; anything else (a region's code, an
 * addressee, a partner's or line's id) as recorded.
 */
export function keyLabel(key: string, language: ReportLanguage): string {
  const quarter = /^Q([1-4])$/.exec(key);
  if (quarter) return `${QUARTER[language]}${quarter[1]}`;
  const words = KEYS[key];
  if (!words) return key;
  return language === 'zgh' ? (words.zgh ?? words.fr) : words[language];
}
