import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ar } from './ar';
import { en } from './en';
import { fr } from './fr';
import { zgh } from './zgh';
import { directionOf, LANGUAGES, type Language } from './languages';

export { directionOf, LANGUAGE_NAMES, LANGUAGES, type Language } from './languages';

const STORAGE_KEY = 'hrp.language';

export function initialLanguage(): Language {
  const kept = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return (LANGUAGES as readonly string[]).includes(kept ?? '') ? (kept as Language) : 'fr';
}

/** The page follows the language: `lang` and `dir` on <html>, so the whole layout mirrors in Arabic. */
export function applyLanguage(l: Language): void {
  document.documentElement.lang = l;
  document.documentElement.dir = directionOf(l);
  localStorage.setItem(STORAGE_KEY, l);
}

export const resources = { fr: { translation: fr }, ar: { translation: ar }, en: { translation: en }, zgh: { translation: zgh } };

export async function initI18n(language: Language): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyLanguage(language);
  return i18next;
}
