/** Sex of people counted, as recorded (docs/domain.md: F, M, UNDISCLOSED). */
export const SEXES = ['F', 'M', 'UNDISCLOSED'] as const;
export type Sex = (typeof SEXES)[number];

/** Age groups of people counted, spelled as the GraphQL `AgeGroup` enum. */
export const AGE_GROUPS = ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_59', 'AGE_60_PLUS'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

const sexSet: ReadonlySet<string> = new Set(SEXES);
const ageGroupSet: ReadonlySet<string> = new Set(AGE_GROUPS);

/** Type guard for `Sex`. */
export function isSex(value: unknown): value is Sex {
  return typeof value === 'string' && sexSet.has(value);
}

/** Type guard for `AgeGroup`. */
export function isAgeGroup(value: unknown): value is AgeGroup {
  return typeof value === 'string' && ageGroupSet.has(value);
}

/** One age group's share of a disaggregated count. */
export interface AgeGroupCount {
  readonly ageGroup: AgeGroup;
  readonly count: number;
}

/**
 * People counted, disaggregated by sex, disability and (optionally) age group, as carried in
 * events. The total is `female + male + undisclosed`; `withDisability` is a subset of it.
 */
export interface DisaggregatedCount {
  readonly female: number;
  readonly male: number;
  readonly undisclosed: number;
  readonly withDisability: number;
  /** When present, the counts sum to the total and each group appears at most once. */
  readonly byAgeGroup?: readonly AgeGroupCount[];
}

/** `female + male + undisclosed`. */
export function disaggregatedTotal(count: DisaggregatedCount): number {
  return count.female + count.male + count.undisclosed;
}

/**
 * Problems with a disaggregated count, as human-readable strings (empty when valid): counts are
 * non-negative integers, people with a disability are part of the total, age groups sum to it.
 */
export function disaggregatedCountIssues(count: DisaggregatedCount): string[] {
  const issues: string[] = [];
  const counts: Array<[string, number]> = [
    ['female', count.female],
    ['male', count.male],
    ['undisclosed', count.undisclosed],
    ['withDisability', count.withDisability],
  ];
  for (const [field, n] of counts) {
    if (!Number.isSafeInteger(n) || n < 0) issues.push(`${field} must be a non-negative integer`);
  }
  if (issues.length > 0) return issues;
  const total = disaggregatedTotal(count);
  if (count.withDisability > total) issues.push('withDisability cannot exceed the total');
  if (count.byAgeGroup !== undefined) {
    const seen = new Set<string>();
    let sum = 0;
    for (const { ageGroup, count: n } of count.byAgeGroup) {
      if (!isAgeGroup(ageGroup)) issues.push(`unknown age group ${JSON.stringify(ageGroup)}`);
      else if (seen.has(ageGroup)) issues.push(`age group ${ageGroup} appears twice`);
      seen.add(ageGroup);
      if (!Number.isSafeInteger(n) || n < 0) issues.push(`count of ${ageGroup} must be a non-negative integer`);
      else sum += n;
    }
    if (issues.length === 0 && sum !== total) issues.push(`age groups sum to ${sum}, not to the total ${total}`);
  }
  return issues;
}
