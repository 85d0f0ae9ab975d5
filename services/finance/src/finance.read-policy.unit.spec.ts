import { DEV_PRINCIPALS } from '@hrp/testing';
import { mayReadCommitment, readScope } from './finance.read-policy';

describe('who reads finance', () => {
  const expected: Record<string, string> = {
    admin: 'none',
    director: 'all',
    'campaign-manager': 'none',
    'training-coordinator': 'none',
    'partnership-officer': 'none',
    'advocacy-officer': 'none',
    'finance-officer': 'all',
    'me-officer': 'all',
    'regional-officer': 'region',
    auditor: 'all',
    viewer: 'all',
    'regional-officer-ma06': 'region',
  };

  it.each(Object.entries(DEV_PRINCIPALS))('%s', (user, principal) => {
    expect(readScope(principal).kind).toBe(expected[user]);
  });

  it('refuses a regional officer without a region attribute', () => {
    expect(readScope({ roles: ['regional-officer'] }).kind).toBe('none');
  });

  it('scopes a regional officer to the commitments of their region’s activities', () => {
    const scope = readScope({ roles: ['regional-officer'], region: 'MA-06' });
    expect(mayReadCommitment(scope, ['MA-06', 'MA-01'])).toBe(true);
    expect(mayReadCommitment(scope, ['MA-01'])).toBe(false);
    expect(mayReadCommitment(scope, [])).toBe(false);
    expect(mayReadCommitment(readScope({ roles: ['auditor'] }), [])).toBe(true);
  });
});
