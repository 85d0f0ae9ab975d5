import { devToken, eventually, startPlatformStack, type PlatformStack } from '@hrp/testing';

const MONEY = 'amount currency';
const AGREEMENT = `id version status startDate endDate fundingStatus signedOn activatedOn closingReason contribution { ${MONEY} }
  previousPeriods { start end } partner { id name { fr } status }`;
const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { position partner { id version status name { fr } country type } } }`;
const DRAFT = `mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { position agreement { ${AGREEMENT} } } }`;
const NEGOTIATE = `mutation($id: ID!) { startNegotiation(id: $id) { agreement { ${AGREEMENT} } } }`;
const SIGN = `mutation($id: ID!, $on: Date!) { signAgreement(id: $id, signedOn: $on) { agreement { ${AGREEMENT} } } }`;
const ACTIVATE = `mutation($id: ID!) { activateAgreement(id: $id) { agreement { ${AGREEMENT} } } }`;
const RENEW = `mutation($id: ID!, $end: Date!) { renewAgreement(id: $id, newEndDate: $end) { agreement { ${AGREEMENT} } } }`;
const TERMINATE = `mutation($id: ID!, $reason: String!) { terminateAgreement(id: $id, reason: $reason) { agreement { ${AGREEMENT} } } }`;
const AGREEMENT_Q = `query($id: ID!) { agreement(id: $id) { ${AGREEMENT} } }`;
const PARTNER_Q = `query($id: ID!) { partner(id: $id) { id agreements { id status } contacts { fullName role } } }`;
const CONTRIBUTIONS = `query($year: Int!, $type: PartnerType) { contributionsMobilised(year: $year, partnerType: $type) {
  partners { partner { id name { fr } } partnerType agreements financial { ${MONEY} } inKind { ${MONEY} } inKindItems }
  byType { partnerType partners agreements financial { ${MONEY} } inKind { ${MONEY} } } } }`;
const EXPIRING = `query($days: Int!) { agreementsExpiringWithin(days: $days) { id endDate } }`;
const DRAFT_BUDGET = `mutation($input: DraftBudgetInput!) { draftBudget(input: $input) { budget { id } } }`;
const APPROVE_BUDGET = `mutation($id: ID!) { approveBudget(id: $id) { budget { id } } }`;
const COMMITMENTS = `query($f: CommitmentFilter) { commitments(filter: $f) { edges { node { id status sourceType } } } }`;
const APPROVE_COMMITMENT = `mutation($id: ID!) { approveCommitment(id: $id) { commitment { id status } } }`;

const mad = (amount: number) => ({ amount: String(amount), currency: 'MAD' });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('Partnerships through the gateway (WIP): partner, agreement with funding, sign, activate, renew, terminate', () => {
  let stack: PlatformStack;
  let officer: string;
  let director: string;
  let financeOfficer: string;
  let viewer: string;

  beforeAll(async () => {
    stack = await startPlatformStack(['partnerships', 'finance'], 15300);
    [officer, director, financeOfficer, viewer] = await Promise.all(
      ['partnership-officer', 'director', 'finance-officer', 'viewer'].map((u) => devToken(u as never)),
    );
    const year = Number(day(0).slice(0, 4));
    expect(
      (
        await stack.gql(financeOfficer, DRAFT_BUDGET, {
          input: { fiscalYear: year, lines: [{ programmeArea: 'PARTNERSHIPS', allocated: mad(10_000_000) }] },
        })
      ).errors,
    ).toBeUndefined();
    expect((await stack.gql(director, APPROVE_BUDGET, { id: `budget-${year}` })).errors).toBeUndefined();
  }, 120000);
  afterAll(() => stack?.stop());

  it('runs the lifecycle', async () => {
    const gql = async (token: string, q: string, v: Record<string, unknown>) => {
      const r = await stack.gql(token, q, v);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const year = Number(day(0).slice(0, 4));
    const partner = (
      await gql(officer, REGISTER, {
        input: {
          name: { fr: 'Université Mohammed V' },
          type: 'UNIVERSITY',
          country: 'MA',
          contacts: [{ fullName: 'Leila Bennani-Test', email: 'l.b@example.ma', role: 'Doyenne' }],
        },
      })
    ).registerPartner.partner;
    expect(partner).toMatchObject({ status: 'ACTIVE', country: 'MA', type: 'UNIVERSITY' });

    const drafted = (
      await gql(officer, DRAFT, {
        input: {
          partnerId: partner.id,
          title: { fr: 'Clinique juridique des droits humains' },
          scope: { fr: 'Formation des étudiants' },
          startDate: day(0),
          endDate: day(40),
          commitmentsOurs: ['Financer deux sessions'],
          commitmentsTheirs: ['Accueillir les sessions'],
          contributions: [
            { direction: 'FROM_US', kind: 'FINANCIAL', money: mad(2_000_000) },
            { direction: 'FROM_PARTNER', kind: 'FINANCIAL', money: mad(500_000) },
            { direction: 'FROM_PARTNER', kind: 'IN_KIND', description: 'Salles', estimatedValue: mad(300_000) },
          ],
          budgetLineId: `budget-${year}.line-1`,
        },
      })
    ).draftAgreement.agreement;
    expect(drafted).toMatchObject({ status: 'DRAFT', fundingStatus: 'REQUESTED', contribution: mad(500_000), partner: { id: partner.id } });
    const id = drafted.id as string;

    await gql(officer, NEGOTIATE, { id });
    const early = await stack.gql(officer, SIGN, { id, on: day(0) });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'DOMAIN_RULE_VIOLATION', rule: 'partnerships.sign.requires-funding' });

    let commitmentId = '';
    await eventually('the agreement’s commitment request in finance', async () => {
      const r = await stack.gql(financeOfficer, COMMITMENTS, { f: { sourceId: id } });
      commitmentId = r.data?.commitments.edges[0]?.node.id ?? '';
      return commitmentId !== '';
    });
    await gql(financeOfficer, APPROVE_COMMITMENT, { id: commitmentId });
    await eventually(
      'funding APPROVED',
      async () => (await stack.gql(officer, AGREEMENT_Q, { id })).data?.agreement.fundingStatus === 'APPROVED',
    );

    expect((await gql(officer, SIGN, { id, on: day(0) })).signAgreement.agreement).toMatchObject({ status: 'SIGNED', signedOn: day(0) });
    expect((await gql(officer, ACTIVATE, { id })).activateAgreement.agreement).toMatchObject({ status: 'ACTIVE', activatedOn: day(0) });
    await eventually('listed as expiring within 60 days', async () =>
      ((await stack.gql(officer, EXPIRING, { days: 60 })).data?.agreementsExpiringWithin ?? []).some((a: { id: string }) => a.id === id),
    );
    const renewed = (await gql(officer, RENEW, { id, end: day(400) })).renewAgreement.agreement;
    expect(renewed).toMatchObject({ status: 'ACTIVE', endDate: day(400), previousPeriods: [{ start: day(0), end: day(40) }] });
    const terminated = (await gql(director, TERMINATE, { id, reason: 'Fin du programme' })).terminateAgreement.agreement;
    expect(terminated).toMatchObject({ status: 'TERMINATED', closingReason: 'Fin du programme' });

    // PRT-02: what the partner committed, counted in the year of the signature (terminated since, still mobilised)
    await eventually('the contributions mobilised this year', async () => {
      const r = await stack.gql(viewer, CONTRIBUTIONS, { year: Number(day(0).slice(0, 4)), type: 'UNIVERSITY' });
      return (r.data?.contributionsMobilised.partners ?? []).length === 1;
    });
    const mobilised = (await gql(viewer, CONTRIBUTIONS, { year: Number(day(0).slice(0, 4)), type: 'UNIVERSITY' })).contributionsMobilised;
    expect(mobilised.partners).toEqual([
      {
        partner: { id: partner.id, name: { fr: 'Université Mohammed V' } },
        partnerType: 'UNIVERSITY',
        agreements: 1,
        financial: [mad(500_000)],
        inKind: [mad(300_000)],
        inKindItems: ['Salles'],
      },
    ]);
    expect(mobilised.byType).toEqual([
      { partnerType: 'UNIVERSITY', partners: 1, agreements: 1, financial: [mad(500_000)], inKind: [mad(300_000)] },
    ]);
    const otherType = (await gql(viewer, CONTRIBUTIONS, { year: Number(day(0).slice(0, 4)), type: 'MEDIA' })).contributionsMobilised;
    expect(otherType).toMatchObject({ partners: [], byType: [] });
    const badYear = await stack.gql(viewer, CONTRIBUTIONS, { year: 99999, type: null });
    expect(badYear.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });

    // contacts are personal data: the officer reads them, a viewer may not
    const asOfficer = await gql(officer, PARTNER_Q, { id: partner.id });
    expect(asOfficer.partner.contacts).toEqual([{ fullName: 'Leila Bennani-Test', role: 'Doyenne' }]);
    const asViewer = await stack.gql(viewer, PARTNER_Q, { id: partner.id });
    expect(asViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
