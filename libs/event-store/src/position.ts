import { ValidationError } from '@hrp/domain-kit';

/**
 * Encodes a global position as the opaque token the API hands to clients (read-your-writes:
 * "wait until your projection has reached this token"). Today it is the position in decimal.
 */
export function encodePosition(position: number): string {
  if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`invalid position ${position}`);
  return String(position);
}

/** Decodes a token made by {@link encodePosition}; a malformed token is a ValidationError (client input). */
export function decodePosition(token: string): number {
  if (!/^\d{1,16}$/.test(token)) throw new ValidationError(`invalid position token "${token}"`, 'position');
  const n = Number(token);
  if (!Number.isSafeInteger(n)) throw new ValidationError(`invalid position token "${token}"`, 'position');
  return n;
}
