/**
 * The twelve regions of Morocco by ISO 3166-2 code, plus `NATIONAL` for work that is not tied
 * to one region (docs/domain.md, "Shared vocabulary").
 */
export const REGIONS = [
  'MA-01',
  'MA-02',
  'MA-03',
  'MA-04',
  'MA-05',
  'MA-06',
  'MA-07',
  'MA-08',
  'MA-09',
  'MA-10',
  'MA-11',
  'MA-12',
  'NATIONAL',
] as const;

/** `MA-01` … `MA-12` or `NATIONAL`. */
export type Region = (typeof REGIONS)[number];

const regionSet: ReadonlySet<string> = new Set(REGIONS);

/** Type guard for a region code (exact spelling, case-sensitive). */
export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && regionSet.has(value);
}
