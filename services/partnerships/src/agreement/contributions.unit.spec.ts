import type { Contribution } from './agreement.events';
import { agreementViewHandlers } from './projections/agreement-view.projection';
import { contributionsMobilised } from './contributions';

const money = (amount: string, currency = 'MAD') => ({ amount, currency });
const fromPartner = (amount: string, currency?: string): Contribution => ({
  direction: 'FROM_PARTNER',
  kind: 'FINANCIAL',
  money: money(amount, currency),
});
const inKind = (description: string, amount: string): Contribution => ({
  direction: 'FROM_PARTNER',
  kind: 'IN_KIND',
  description,
  estimatedValue: money(amount),
});
const fromUs = (amount: string): Contribution => ({ direction: 'FROM_US', kind: 'FINANCIAL', money: money(amount) });

describe('contributionsMobilised (PRT-02)', () => {
  const types: Record<string, string> = { 'partner-a': 'NGO', 'partner-b': 'NGO', 'partner-c': 'UNIVERSITY' };

  it('sums what partners committed, per partner and per type, money and in kind apart, our own side left out', () => {
    const r = contributionsMobilised(
      2026,
      [
        { partnerId: 'partner-b', contributions: [fromPartner('150000'), inKind('Salles', '30000'), fromUs('999999')] },
        { partnerId: 'partner-a', contributions: [fromPartner('100050')] },
        { partnerId: 'partner-b', contributions: [fromPartner('50000'), inKind('Formateurs', '20000')] },
        { partnerId: 'partner-c', contributions: [inKind('Amphithéâtre', '10000')] },
      ],
      (id) => types[id],
    );
    expect(r.partners).toEqual([
      { partnerId: 'partner-a', partnerType: 'NGO', agreements: 1, financial: [money('100050')], inKind: [], inKindItems: [] },
      {
        partnerId: 'partner-b',
        partnerType: 'NGO',
        agreements: 2,
        financial: [money('200000')],
        inKind: [money('50000')],
        inKindItems: ['Salles', 'Formateurs'],
      },
      {
        partnerId: 'partner-c',
        partnerType: 'UNIVERSITY',
        agreements: 1,
        financial: [],
        inKind: [money('10000')],
        inKindItems: ['Amphithéâtre'],
      },
    ]);
    expect(r.byType).toEqual([
      { partnerType: 'NGO', partners: 2, agreements: 3, financial: [money('300050')], inKind: [money('50000')] },
      { partnerType: 'UNIVERSITY', partners: 1, agreements: 1, financial: [], inKind: [money('10000')] },
    ]);
    expect(r.year).toBe(2026);
  });

  it('never adds amounts of different currencies; exact beyond 2^53; an unknown partner is UNKNOWN, not dropped', () => {
    const big = '9007199254740993'; // 2^53 + 1
    const r = contributionsMobilised(
      2027,
      [
        { partnerId: 'partner-x', contributions: [fromPartner(big), fromPartner('1'), fromPartner('500', 'EUR')] },
        { partnerId: 'partner-x', contributions: [] },
      ],
      () => undefined,
    );
    expect(r.partners[0]).toMatchObject({
      partnerType: 'UNKNOWN',
      agreements: 2,
      financial: [money('500', 'EUR'), money('9007199254740994')],
    });
    expect(r.byType).toEqual([
      { partnerType: 'UNKNOWN', partners: 1, agreements: 2, financial: [money('500', 'EUR'), money('9007199254740994')], inKind: [] },
    ]);
    expect(contributionsMobilised(2027, [], () => 'NGO')).toEqual({ year: 2027, partners: [], byType: [] });
  });

  it('the agreement view files a signed agreement under the year of its signature', () => {
    const update = agreementViewHandlers.AgreementSigned({
      type: 'AgreementSigned',
      data: { agreementId: 'agreement-1', signedOn: '2026-12-31' },
      metadata: { time: '2027-01-02T10:00:00Z' },
    } as never);
    expect(update).toMatchObject({ $set: { status: 'SIGNED', signedOn: '2026-12-31', signedYear: 2026 } });
  });
});
