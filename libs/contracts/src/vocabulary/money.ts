import { ValidationError } from '@hrp/domain-kit';

/** The currency of an amount when none is given. */
export const DEFAULT_CURRENCY = 'MAD';

/**
 * Largest absolute amount accepted, in minor units: 2^63 - 1, so that every amount fits a signed
 * 64-bit integer in any store or language (9.2e16 MAD is far beyond any budget).
 */
export const MAX_MINOR_UNITS = 2n ** 63n - 1n;

/**
 * An amount of money in integer minor units (centimes for MAD). `bigint` because budgets in
 * centimes outgrow both GraphQL's 32-bit Int and, in sums, the 2^53 of exact JS numbers.
 */
export interface Money {
  readonly amount: bigint;
  /** ISO 4217 code, e.g. `MAD`. */
  readonly currency: string;
}

/**
 * The JSON-safe form of `Money`, as in the GraphQL `MoneyAmount` type and in event data:
 * `amount` is the `MinorUnits` string of digits (bigint does not survive JSON).
 */
export interface MoneyAmount {
  readonly amount: string;
  readonly currency: string;
}

/** Options of `parseMinorUnits`. */
export interface ParseMinorUnitsOptions {
  /** Accept a leading `-` (e.g. a correction); default false: amounts are usually non-negative. */
  readonly allowNegative?: boolean;
  /** Field name reported in the ValidationError. */
  readonly field?: string;
}

// Canonical spelling only: no sign unless allowed, no `+`, no spaces, no leading zeros, no
// decimal point or exponent. One amount has one spelling, so strings can be compared as they are.
const MINOR_UNITS = /^(0|[1-9][0-9]*)$/;
const SIGNED_MINOR_UNITS = /^(0|-?[1-9][0-9]*)$/;

/**
 * Parses a GraphQL `MinorUnits` value (a string of digits) into a bigint, exactly.
 * @throws ValidationError on anything but a canonical integer within ±MAX_MINOR_UNITS.
 */
export function parseMinorUnits(value: unknown, options: ParseMinorUnitsOptions = {}): bigint {
  const field = options.field ?? 'amount';
  if (typeof value !== 'string') {
    throw new ValidationError(`${field} must be a string of digits (MinorUnits), not ${typeof value}`, field);
  }
  const pattern = options.allowNegative ? SIGNED_MINOR_UNITS : MINOR_UNITS;
  if (!pattern.test(value)) {
    const expected = options.allowNegative ? 'an integer' : 'a non-negative integer';
    throw new ValidationError(
      `${field} must be ${expected} in minor units without leading zeros, got ${JSON.stringify(value.slice(0, 40))}`,
      field,
    );
  }
  const amount = BigInt(value);
  if (amount > MAX_MINOR_UNITS || amount < -MAX_MINOR_UNITS) {
    throw new ValidationError(`${field} is out of range (at most ${MAX_MINOR_UNITS} minor units)`, field);
  }
  return amount;
}

/** Formats minor units as a GraphQL `MinorUnits` string (`-` only for negative amounts). */
export function formatMinorUnits(amount: bigint): string {
  return amount.toString(10);
}

/** Type guard for an ISO 4217-shaped currency code (three capital letters). */
export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value);
}

/**
 * Builds a Money from minor units (bigint, safe integer, or MinorUnits string).
 * @throws ValidationError on a fractional or unsafe number, a malformed string or currency.
 */
export function money(amount: bigint | number | string, currency: string = DEFAULT_CURRENCY): Money {
  let units: bigint;
  if (typeof amount === 'bigint') units = amount;
  else if (typeof amount === 'number') {
    // A float here is exactly the bug this type exists to prevent.
    if (!Number.isSafeInteger(amount))
      throw new ValidationError(`amount must be an integer number of minor units, got ${amount}`, 'amount');
    units = BigInt(amount);
  } else units = parseMinorUnits(amount, { allowNegative: true });
  if (units > MAX_MINOR_UNITS || units < -MAX_MINOR_UNITS) throw new ValidationError('amount is out of range', 'amount');
  if (!isCurrencyCode(currency))
    throw new ValidationError(`currency must be an ISO 4217 code, got ${JSON.stringify(currency)}`, 'currency');
  return { amount: units, currency };
}

/**
 * Parses a GraphQL `MoneyInput` (`currency` defaults to MAD; null counts as absent).
 * Negative amounts are refused unless `allowNegative`.
 */
export function parseMoneyInput(
  input: { readonly amount: unknown; readonly currency?: string | null },
  options: ParseMinorUnitsOptions = {},
): Money {
  const amount = parseMinorUnits(input.amount, options);
  return money(amount, input.currency ?? DEFAULT_CURRENCY);
}

/** Money → its JSON-safe form (for event data and GraphQL `MoneyAmount`). */
export function toMoneyAmount(value: Money): MoneyAmount {
  return { amount: formatMinorUnits(value.amount), currency: value.currency };
}

/** JSON-safe form (from event data) → Money; accepts negative amounts, e.g. a reallocation's debit. */
export function fromMoneyAmount(value: MoneyAmount): Money {
  return money(parseMinorUnits(value.amount, { allowNegative: true }), value.currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new ValidationError(`cannot combine ${a.currency} and ${b.currency}`, 'currency');
}

/** a + b; both in the same currency. */
export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

/** a - b; both in the same currency. The result may be negative. */
export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

/** -1, 0 or 1 as a is less than, equal to or greater than b; both in the same currency. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}
