export const LANGUAGES = ['fr', 'ar', 'en', 'zgh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, and its direction: Arabic right to left, the others left to right. */
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', ar: 'العربية', en: 'English', zgh: 'ⵜⴰⵎⴰⵣⵉⵖⵜ' };
export const directionOf = (l: Language): 'rtl' | 'ltr' => (l === 'ar' ? 'rtl' : 'ltr');
