import { ValidationError } from '@hrp/domain-kit';

/** Languages of the platform: French (required), Arabic, English, Standard Moroccan Amazigh. */
export const LOCALES = ['fr', 'ar', 'en', 'zgh'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in several languages; French is always present (GraphQL `LocalizedText`). */
export interface LocalizedText {
  readonly fr: string;
  readonly ar?: string;
  readonly en?: string;
  readonly zgh?: string;
}

/** Options of `validateLocalizedText`. */
export interface LocalizedTextOptions {
  /** Maximum length of each translation, in Unicode code points. Default 500. */
  readonly maxLength?: number;
  /** Field name reported in errors, e.g. `title`. Default `text`. */
  readonly field?: string;
}

/** Default maximum length of each translation. */
export const DEFAULT_LOCALIZED_TEXT_MAX_LENGTH = 500;

/**
 * Checks a `LocalizedTextInput` and returns it as a `LocalizedText`: `fr` non-blank, optional
 * translations strings (null or absent are dropped, blank ones too), no unknown language, each at
 * most `maxLength` code points (code points, not UTF-16 units, so Arabic and Tifinagh count as read).
 * @throws ValidationError naming the offending field, e.g. `title.fr`.
 */
export function validateLocalizedText(value: unknown, options: LocalizedTextOptions = {}): LocalizedText {
  const field = options.field ?? 'text';
  const maxLength = options.maxLength ?? DEFAULT_LOCALIZED_TEXT_MAX_LENGTH;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`${field} must be an object with at least a French text`, field);
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(LOCALES as readonly string[]).includes(key)) {
      throw new ValidationError(
        `${field} has an unknown language ${JSON.stringify(key)} (expected ${LOCALES.join(', ')})`,
        `${field}.${key}`,
      );
    }
  }
  const out: { -readonly [K in Locale]?: string } = {};
  for (const locale of LOCALES) {
    const text = input[locale];
    if (text === undefined || text === null) continue;
    if (typeof text !== 'string') throw new ValidationError(`${field}.${locale} must be a string`, `${field}.${locale}`);
    if (text.trim().length === 0) continue;
    const length = [...text].length;
    if (length > maxLength) {
      throw new ValidationError(`${field}.${locale} is ${length} characters long, more than ${maxLength}`, `${field}.${locale}`);
    }
    out[locale] = text;
  }
  if (out.fr === undefined) throw new ValidationError(`${field}.fr is required and cannot be blank`, `${field}.fr`);
  return out as LocalizedText;
}

/** The text in `locale`, falling back to French. */
export function localize(text: LocalizedText, locale: Locale): string {
  return text[locale] ?? text.fr;
}
