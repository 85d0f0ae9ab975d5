import type { Language } from './languages';

type Words = { fr: string; ar: string; en: string };

/*
 * The business rules a refusal names (`extensions.rule`, stable ids of the services' deciders) in
 * words, for the screens that can run into them. A rule not listed is shown with the service's
 * own sentence (`message`, in English).
 */
const RULES: Record<string, Words> = {
  'campaign.closed': {
    fr: 'La campagne est terminée ou annulée : elle ne change plus.',
    ar: 'الحملة منتهية أو ملغاة: لم يعد بالإمكان تغييرها.',
    en: 'The campaign is completed or cancelled: it no longer changes.',
  },
  'campaign.plan.requires-draft': {
    fr: 'Seule une campagne en brouillon se planifie.',
    ar: 'لا تبرمج إلا الحملة التي في وضعية مسودة.',
    en: 'Only a draft campaign can be planned.',
  },
  'campaign.plan.requires-audience-and-channel': {
    fr: 'Une campagne se planifie avec au moins un public et un canal.',
    ar: 'تبرمج الحملة بجمهور وقناة على الأقل.',
    en: 'A campaign is planned with at least one audience and one channel.',
  },
  'campaign.plan.cost-requires-budget-line': {
    fr: 'Une campagne qui a un coût se planifie avec sa ligne budgétaire.',
    ar: 'الحملة ذات الكلفة تبرمج مع بندها في الميزانية.',
    en: 'A campaign with a cost is planned with its budget line.',
  },
  'campaign.launch.requires-planned': {
    fr: 'Seule une campagne planifiée se lance.',
    ar: 'لا تطلق إلا الحملة المبرمجة.',
    en: 'Only a planned campaign can be launched.',
  },
  'campaign.launch.requires-funding': {
    fr: 'Le financement demandé doit être approuvé avant le lancement.',
    ar: 'يجب الموافقة على التمويل المطلوب قبل الإطلاق.',
    en: 'The funding requested must be approved before the launch.',
  },
  'campaign.activity.campaign-not-open': {
    fr: 'Les activités se programment sur une campagne planifiée ou en cours.',
    ar: 'تبرمج الأنشطة في حملة مبرمجة أو جارية.',
    en: 'Activities are scheduled on a planned or active campaign.',
  },
  'campaign.activity.date-outside-period': {
    fr: 'La date de l’activité doit être dans la période de la campagne.',
    ar: 'يجب أن يكون تاريخ النشاط داخل فترة الحملة.',
    en: 'The activity’s date must be within the campaign’s period.',
  },
  'campaign.activity.region-outside-campaign': {
    fr: 'La région de l’activité doit être l’une des régions de la campagne.',
    ar: 'يجب أن تكون جهة النشاط من جهات الحملة.',
    en: 'The activity’s region must be one of the campaign’s regions.',
  },
  'campaign.activity.not-scheduled': {
    fr: 'Cette activité n’est plus programmée.',
    ar: 'هذا النشاط لم يعد مبرمجا.',
    en: 'This activity is no longer scheduled.',
  },
  'campaign.activity.requires-active-campaign': {
    fr: 'Une activité est tenue pendant une campagne en cours.',
    ar: 'ينظم النشاط خلال حملة جارية.',
    en: 'An activity is held during an active campaign.',
  },
  'campaign.complete.requires-active': {
    fr: 'Seule une campagne en cours se clôture.',
    ar: 'لا تختتم إلا الحملة الجارية.',
    en: 'Only an active campaign can be completed.',
  },
  'commitment.approve.requires-requested': {
    fr: 'Cet engagement n’est plus en attente d’approbation.',
    ar: 'هذا الالتزام لم يعد في انتظار الموافقة.',
    en: 'This commitment is no longer awaiting approval.',
  },
  'commitment.approve.requires-quotes': {
    fr: 'Au-delà du seuil, trois devis sont requis avant l’approbation.',
    ar: 'فوق العتبة، يلزم تقديم ثلاثة عروض أسعار قبل الموافقة.',
    en: 'Above the threshold, three quotes are required before approval.',
  },
  'commitment.reject.requires-requested': {
    fr: 'Cet engagement n’est plus en attente d’approbation.',
    ar: 'هذا الالتزام لم يعد في انتظار الموافقة.',
    en: 'This commitment is no longer awaiting approval.',
  },
  'budget.commit.exceeds-available': {
    fr: 'Le montant dépasse ce qui reste disponible sur la ligne.',
    ar: 'المبلغ يتجاوز المتبقي المتاح في البند.',
    en: 'The amount exceeds what is left available on the line.',
  },
  'budget.commit.requires-approved': {
    fr: 'Le budget de l’année doit être approuvé.',
    ar: 'يجب المصادقة على ميزانية السنة.',
    en: 'The year’s budget must be approved.',
  },
  'budget.closed': { fr: 'Le budget de l’année est clos.', ar: 'ميزانية السنة مقفلة.', en: 'The year’s budget is closed.' },
};

export const RULE_IDS = Object.keys(RULES);

/** A rule in words in the language (Tamazight: French), or null when it has none here. */
export function ruleInWords(rule: string, language: Language): string | null {
  const words = RULES[rule];
  if (!words) return null;
  return language === 'zgh' ? words.fr : words[language];
}
