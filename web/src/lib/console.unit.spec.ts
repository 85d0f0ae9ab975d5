import { ar } from '../i18n/ar';
import { en } from '../i18n/en';
import { fr } from '../i18n/fr';
import { zgh } from '../i18n/zgh';
import { ruleInWords } from '../i18n/rules';
import { shownError } from './errors';
import { formatMoney } from './format';
import { canDecideCommitments, canDownloadReports, canManageCampaigns, readsBusinessData, scopedRegion } from './permissions';

/** Every leaf of a dictionary as `a.b.c` → text. */
function leaves(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

describe('the console’s languages', () => {
  const base = leaves(fr);
  it.each([
    ['en', en],
    ['ar', ar],
  ])('%s says everything French says, and nothing else', (_, dict) => {
    const l = leaves(dict);
    expect([...l.keys()].sort()).toEqual([...base.keys()].sort());
    for (const [k, v] of l) expect([k, v.trim().length > 0]).toEqual([k, true]);
  });

  it('keeps the interpolations of each sentence', () => {
    const vars = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
    for (const dict of [en, ar, zgh]) for (const [k, v] of leaves(dict)) expect([k, vars(v)]).toEqual([k, vars(base.get(k) ?? '')]);
  });

  it('writes Arabic in Arabic script and Tamazight in Tifinagh (only keys French has)', () => {
    for (const [k, v] of leaves(ar)) expect([k, /[\u0600-\u06FF]/.test(v)]).toEqual([k, true]);
    for (const [k, v] of leaves(zgh)) {
      expect([k, base.has(k)]).toEqual([k, true]);
      expect([k, /[\u2D30-\u2D7F]/.test(v)]).toEqual([k, true]);
    }
  });
});

describe('what the console offers each role', () => {
  const v = (roles: string[], region?: string) => ({ username: 'u', roles, region });
  it('offers campaign actions to managers and the director everywhere, to a regional officer in their region only', () => {
    expect(canManageCampaigns(v(['campaign-manager']), ['MA-05'])).toBe(true);
    expect(canManageCampaigns(v(['director']))).toBe(true);
    expect(canManageCampaigns(v(['regional-officer'], 'MA-03'), ['MA-03'])).toBe(true);
    expect(canManageCampaigns(v(['regional-officer'], 'MA-03'), ['MA-03', 'MA-05'])).toBe(false);
    expect(canManageCampaigns(v(['regional-officer']), ['MA-03'])).toBe(false);
    for (const role of ['viewer', 'auditor', 'admin', 'me-officer', 'finance-officer'])
      expect([role, canManageCampaigns(v([role]))]).toEqual([role, false]);
  });
  it('offers approvals to finance and the director, reports to the director, M&E and audit', () => {
    expect(canDecideCommitments(v(['finance-officer']))).toBe(true);
    expect(canDecideCommitments(v(['viewer']))).toBe(false);
    expect(canDownloadReports(v(['auditor']))).toBe(true);
    expect(canDownloadReports(v(['campaign-manager']))).toBe(false);
  });
  it('shows an admin without a business role no business screen, and holds a regional officer to their region', () => {
    expect(readsBusinessData(v(['admin']))).toBe(false);
    expect(readsBusinessData(v(['admin', 'viewer']))).toBe(true);
    expect(scopedRegion(v(['regional-officer'], 'MA-03'))).toBe('MA-03');
    expect(scopedRegion(v(['regional-officer', 'director'], 'MA-03'))).toBeUndefined();
  });
});

describe('errors in words', () => {
  it('shows the rule a refusal names, not its code', () => {
    const e = shownError({
      message: 'campaign is DRAFT',
      extensions: { code: 'DOMAIN_RULE_VIOLATION', rule: 'campaign.launch.requires-planned' },
    });
    expect(e).toMatchObject({ kind: 'rule', detail: 'campaign is DRAFT', reload: false });
    expect(ruleInWords('campaign.launch.requires-planned', 'fr')).toBe('Seule une campagne planifiée se lance.');
    expect(ruleInWords('campaign.launch.requires-planned', 'ar')).toMatch(/[\u0600-\u06FF]/);
    expect(ruleInWords('unknown.rule', 'en')).toBeNull();
  });
  it('offers a reload on a stale version, and marks the field of bad input', () => {
    expect(shownError({ message: 'stale', extensions: { code: 'CONFLICT' } })).toMatchObject({ kind: 'conflict', reload: true });
    expect(shownError({ message: 'regions: …', extensions: { code: 'BAD_USER_INPUT', field: 'regions' } })).toMatchObject({
      kind: 'input',
      field: 'regions',
    });
  });
});

describe('money', () => {
  it('shows integer minor units as MAD without losing a centime', () => {
    expect(formatMoney('123456789012345', 'en')).toBe('1,234,567,890,123.45 MAD');
    expect(formatMoney('-5', 'en')).toBe('-0.05 MAD');
  });
});
