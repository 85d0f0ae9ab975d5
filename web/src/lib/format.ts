import type { Language } from '../i18n/languages';

/** Intl locales: Morocco's conventions for French and Arabic (Latin digits), British English, Tamazight. */
export const LOCALE: Record<Language, string> = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB', zgh: 'zgh-MA' };

export const formatNumber = (n: number, language: Language, digits = 2) =>
  new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: digits }).format(n);

/** Integer minor units (a decimal string or number) as MAD. */
export function formatMoney(minor: string | number, language: Language): string {
  const units = typeof minor === 'string' ? BigInt(minor) : BigInt(Math.round(minor));
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const whole = Number(abs / 100n);
  const cents = Number(abs % 100n);
  const n = new Intl.NumberFormat(LOCALE[language], { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(whole + cents / 100);
  return `${sign}${n} MAD`;
}

export const formatDate = (iso: string, language: Language) =>
  new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));

/** A localized text in the language, else French (the text every record has). */
export function localized(
  t: { fr: string; ar?: string | null; en?: string | null; zgh?: string | null } | null | undefined,
  language: Language,
) {
  if (!t) return '';
  return t[language] || t.fr;
}
