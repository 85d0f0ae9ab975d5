import type { MoneyAmount } from '@hrp/contracts';
import { formatMinorUnits, parseMinorUnits } from '@hrp/contracts';
import type { Contribution } from './agreement.events';

/*
 * Contributions mobilised (PRT-02), as a pure function of the agreements signed in a year: what
 * partners committed (direction FROM_PARTNER), per partner and per partner type, in money and in
 * kind (at its estimated value). An agreement counts in the year of its signature, whatever became
 * of it after (renewed, expired or terminated: the contribution was mobilised). Sums are exact
 * (integer minor units, BigInt) and kept per currency: amounts in different currencies are never
 * added together.
 */

/** What the read side hands over: an agreement signed in the year (or its view). */
export interface SignedAgreement {
  readonly partnerId: string;
  readonly contributions: readonly Contribution[];
}

export interface ContributionTotals {
  readonly agreements: number;
  /** Financial contributions, one amount per currency, by currency. */
  readonly financial: readonly MoneyAmount[];
  /** In-kind contributions at their estimated value, one amount per currency, by currency. */
  readonly inKind: readonly MoneyAmount[];
}

export interface PartnerContributions extends ContributionTotals {
  readonly partnerId: string;
  readonly partnerType: string;
  /** What was contributed in kind, in the order the agreements were given. */
  readonly inKindItems: readonly string[];
}

export interface TypeContributions extends ContributionTotals {
  readonly partnerType: string;
  readonly partners: number;
}

export interface ContributionsMobilised {
  readonly year: number;
  /** By partner id. */
  readonly partners: readonly PartnerContributions[];
  /** By partner type. */
  readonly byType: readonly TypeContributions[];
}

class Totals {
  agreements = 0;
  readonly financial = new Map<string, bigint>();
  readonly inKind = new Map<string, bigint>();

  add(target: Map<string, bigint>, m: MoneyAmount): void {
    target.set(m.currency, (target.get(m.currency) ?? 0n) + parseMinorUnits(m.amount));
  }

  addAll(other: Totals): void {
    this.agreements += other.agreements;
    for (const [c, v] of other.financial) this.financial.set(c, (this.financial.get(c) ?? 0n) + v);
    for (const [c, v] of other.inKind) this.inKind.set(c, (this.inKind.get(c) ?? 0n) + v);
  }

  out(): ContributionTotals {
    const list = (m: Map<string, bigint>) =>
      [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([currency, v]) => ({ amount: formatMinorUnits(v), currency }));
    return { agreements: this.agreements, financial: list(this.financial), inKind: list(this.inKind) };
  }
}

/**
 * Sums the partners' contributions of `agreements` (all signed in `year`) per partner and per
 * partner type; `typeOf` gives a partner's type (a partner the read side does not know is
 * `UNKNOWN`, never dropped). Partners and types come sorted by id and by type.
 */
export function contributionsMobilised(
  year: number,
  agreements: readonly SignedAgreement[],
  typeOf: (partnerId: string) => string | undefined,
): ContributionsMobilised {
  const perPartner = new Map<string, { totals: Totals; items: string[] }>();
  for (const a of agreements) {
    let p = perPartner.get(a.partnerId);
    if (!p) perPartner.set(a.partnerId, (p = { totals: new Totals(), items: [] }));
    p.totals.agreements++;
    for (const c of a.contributions) {
      if (c.direction !== 'FROM_PARTNER') continue;
      if (c.kind === 'FINANCIAL') p.totals.add(p.totals.financial, c.money);
      else {
        p.totals.add(p.totals.inKind, c.estimatedValue);
        p.items.push(c.description);
      }
    }
  }
  const partners = [...perPartner.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([partnerId, p]) => ({ partnerId, partnerType: typeOf(partnerId) ?? 'UNKNOWN', ...p.totals.out(), inKindItems: p.items }));
  const perType = new Map<string, { totals: Totals; partners: number }>();
  for (const [partnerId, p] of perPartner) {
    const type = typeOf(partnerId) ?? 'UNKNOWN';
    let t = perType.get(type);
    if (!t) perType.set(type, (t = { totals: new Totals(), partners: 0 }));
    t.totals.addAll(p.totals);
    t.partners++;
  }
  const byType = [...perType.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([partnerType, t]) => ({ partnerType, partners: t.partners, ...t.totals.out() }));
  return { year, partners, byType };
}
