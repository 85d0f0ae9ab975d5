import type { JsonSchema } from '../json-schema';
import { AGE_GROUPS } from './disaggregation';
import { TAG_KINDS } from './human-rights';
import { DEFAULT_LOCALIZED_TEXT_MAX_LENGTH } from './localized-text';
import { REGIONS } from './regions';

/*
 * Schema fragments of the shared vocabulary, for event schemas. A change here changes the
 * fingerprint of every event schema that uses the fragment, and the schema guard says so:
 * that is intended, since it changes those events' contracts.
 */

/** `MA-01` … `MA-12` or `NATIONAL`. */
export const regionSchema: JsonSchema = { type: 'string', enum: REGIONS };

/** `MoneyAmount`: a MinorUnits string (optionally negative) and a currency code. */
export const moneyAmountSchema: JsonSchema = moneySchema('^(0|-?[1-9][0-9]{0,18})$');

/** A closed object: every property required but the `optional` ones, no other property allowed. */
export function objectSchema(properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema {
  return {
    type: 'object',
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
    properties,
  };
}

/** `MoneyAmount` whose MinorUnits match `amountPattern` (e.g. positive only). */
export function moneySchema(amountPattern: string): JsonSchema {
  return {
    type: 'object',
    required: ['amount', 'currency'],
    additionalProperties: false,
    properties: {
      amount: { type: 'string', pattern: amountPattern },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  };
}

/** `MoneyAmount` above zero. */
export const positiveMoneySchema: JsonSchema = moneySchema('^[1-9][0-9]{0,18}$');
/** `MoneyAmount` at zero or above. */
export const nonNegativeMoneySchema: JsonSchema = moneySchema('^(0|[1-9][0-9]{0,18})$');

/** `LocalizedText` with each translation at most `maxLength` code points. */
export function localizedTextSchema(maxLength: number = DEFAULT_LOCALIZED_TEXT_MAX_LENGTH): JsonSchema {
  const text: JsonSchema = { type: 'string', minLength: 1, maxLength };
  return { type: 'object', required: ['fr'], additionalProperties: false, properties: { fr: text, ar: text, en: text, zgh: text } };
}

/** `HumanRightsTag`. */
export const humanRightsTagSchema: JsonSchema = {
  type: 'object',
  required: ['kind', 'ref'],
  additionalProperties: false,
  properties: { kind: { type: 'string', enum: TAG_KINDS }, ref: { type: 'string', minLength: 1, maxLength: 200 } },
};

const count: JsonSchema = { type: 'integer', minimum: 0 };

/** `DisaggregatedCount` (the sums are checked by `disaggregatedCountIssues`, not by the schema). */
export const disaggregatedCountSchema: JsonSchema = {
  type: 'object',
  required: ['female', 'male', 'undisclosed', 'withDisability'],
  additionalProperties: false,
  properties: {
    female: count,
    male: count,
    undisclosed: count,
    withDisability: count,
    byAgeGroup: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ageGroup', 'count'],
        additionalProperties: false,
        properties: { ageGroup: { type: 'string', enum: AGE_GROUPS }, count },
      },
    },
  },
};
