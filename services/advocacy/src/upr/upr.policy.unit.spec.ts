import type { UprCommand } from './upr.decider';
import { authorize } from './upr.policy';

const importing = { type: 'ImportUprRecommendation' } as UprCommand;

describe('UPR import policy', () => {
  it.each(['advocacy-officer', 'director'])('lets the %s import', (role) => {
    expect(authorize({ roles: [role] }, importing)).toEqual({ ok: true });
  });

  it.each(['admin', 'auditor', 'viewer', 'me-officer', 'partnership-officer', 'campaign-manager', 'regional-officer'])(
    'refuses the %s, naming the roles that may',
    (role) => {
      expect(authorize({ roles: [role], region: 'MA-06' }, importing)).toEqual({
        ok: false,
        reason: 'ImportUprRecommendation needs the advocacy-officer or director role',
      });
    },
  );

  it('refuses a command it does not know', () => {
    expect(authorize({ roles: ['director'] }, { type: 'DeleteUprRecommendation' } as never)).toEqual({
      ok: false,
      reason: 'unknown command DeleteUprRecommendation',
    });
  });
});
