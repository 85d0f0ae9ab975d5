/*
 * Recommendations issued (ADV-01) and their adoption rate (ADV-02), as a pure function of the
 * recommendations the read side hands over: per year of issue and addressee, how many were
 * issued, how many the State decided (ADOPTED, PARTIALLY_ADOPTED or REJECTED), and the adoption
 * rate (adopted + partially adopted) / decided, null while none is decided. A recommendation
 * counts in the year of its issue date, with its current status, whenever it was decided.
 * Addressees are grouped as written (the decider trims them; it does not fold case or spelling).
 */

/** What the read side hands over: a recommendation (or its view). */
export interface IssuedRecommendation {
  /** YYYY-MM-DD. */
  readonly issuedOn: string;
  readonly addressee: string;
  /** One of RECOMMENDATION_STATUSES. */
  readonly status: string;
}

export interface AdoptionCounts {
  readonly issued: number;
  /** ADOPTED + PARTIALLY_ADOPTED + REJECTED. */
  readonly decided: number;
  readonly adopted: number;
  readonly partiallyAdopted: number;
  readonly rejected: number;
  /** (adopted + partiallyAdopted) / decided, between 0 and 1; null when nothing is decided. */
  readonly adoptionRate: number | null;
}

/** The figures of one year of issue and one addressee (GraphQL `AdoptionFigures`). */
export interface AdoptionFigures extends AdoptionCounts {
  readonly year: number;
  readonly addressee: string;
}

/** The counts of a set of recommendations, whatever their year and addressee. */
export function adoptionCounts(recommendations: readonly Pick<IssuedRecommendation, 'status'>[]): AdoptionCounts {
  let adopted = 0;
  let partiallyAdopted = 0;
  let rejected = 0;
  for (const r of recommendations) {
    if (r.status === 'ADOPTED') adopted++;
    else if (r.status === 'PARTIALLY_ADOPTED') partiallyAdopted++;
    else if (r.status === 'REJECTED') rejected++;
  }
  const decided = adopted + partiallyAdopted + rejected;
  return {
    issued: recommendations.length,
    decided,
    adopted,
    partiallyAdopted,
    rejected,
    adoptionRate: decided === 0 ? null : (adopted + partiallyAdopted) / decided,
  };
}

/** The year of a YYYY-MM-DD date. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/**
 * The figures per year of issue and addressee, sorted by year then addressee (code-point order);
 * only the pairs with at least one recommendation. Sum them with `adoptionCounts` over the same
 * recommendations for a year's or an addressee's total (rates are never averaged).
 */
export function adoptionFigures(recommendations: readonly IssuedRecommendation[]): AdoptionFigures[] {
  const groups = new Map<string, { year: number; addressee: string; members: IssuedRecommendation[] }>();
  for (const r of recommendations) {
    const year = yearOf(r.issuedOn);
    const key = JSON.stringify([year, r.addressee]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { year, addressee: r.addressee, members: [] }));
    group.members.push(r);
  }
  return [...groups.values()]
    .sort((a, b) => a.year - b.year || (a.addressee < b.addressee ? -1 : a.addressee > b.addressee ? 1 : 0))
    .map(({ year, addressee, members }) => ({ year, addressee, ...adoptionCounts(members) }));
}
