import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { formatMinorUnits, parseMinorUnits } from '@hrp/contracts';

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** True for a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw badInput(`${scalar} must be written as a string`);
  return ast.value;
}

/** `Date`: ISO 8601 calendar date, kept as the string itself. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'ISO 8601 calendar date, e.g. 2026-03-21',
  serialize: (v) => String(v),
  parseValue: (v) => {
    if (typeof v !== 'string' || !isIsoDate(v)) throw badInput(`invalid Date ${JSON.stringify(v)}: expected YYYY-MM-DD`);
    return v;
  },
  parseLiteral: (ast) => {
    const v = stringLiteral(ast, 'Date');
    if (!isIsoDate(v)) throw badInput(`invalid Date "${v}": expected YYYY-MM-DD`);
    return v;
  },
});

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `DateTime`: ISO 8601 instant with an offset, normalised to UTC on output. */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'ISO 8601 instant with a time zone, e.g. 2026-03-21T09:30:00Z',
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: (v) => {
    if (typeof v !== 'string' || !INSTANT.test(v) || Number.isNaN(Date.parse(v))) throw badInput(`invalid DateTime ${JSON.stringify(v)}`);
    return new Date(v).toISOString();
  },
  parseLiteral: (ast) => {
    const v = stringLiteral(ast, 'DateTime');
    if (!INSTANT.test(v) || Number.isNaN(Date.parse(v))) throw badInput(`invalid DateTime "${v}"`);
    return new Date(v).toISOString();
  },
});

/**
 * `MinorUnits`: integer amount in minor units as a string of digits (GraphQL Int is 32-bit).
 * Parsed to bigint; floats, signs and junk are refused.
 */
export const MinorUnitsScalar = new GraphQLScalarType<bigint, string>({
  name: 'MinorUnits',
  description: 'Integer amount in minor units (centimes), serialized as a string of digits',
  serialize: (v) => (typeof v === 'bigint' ? formatMinorUnits(v) : String(v)),
  parseValue: (v) => {
    try {
      if (typeof v !== 'string') throw new Error('expected a string of digits');
      return parseMinorUnits(v);
    } catch (e) {
      throw badInput(`invalid MinorUnits ${JSON.stringify(v)}: ${e instanceof Error ? e.message : 'expected a string of digits'}`);
    }
  },
  parseLiteral: (ast) => {
    try {
      return parseMinorUnits(stringLiteral(ast, 'MinorUnits'));
    } catch (e) {
      throw e instanceof GraphQLError ? e : badInput(`invalid MinorUnits: ${e instanceof Error ? e.message : ''}`);
    }
  },
});

/** Resolver map entries for the shared scalars (schema-first subgraphs). */
export const sharedScalarResolvers = { Date: DateScalar, DateTime: DateTimeScalar, MinorUnits: MinorUnitsScalar };
