import { checkNotLastAdmin, checkNotSelf, checkProvision, checkReason, checkRoles } from './admin.rules';

const input = (extra: Record<string, unknown> = {}) => ({
  username: 'nouvel-agent',
  email: 'nouvel.agent@hrp.invalid',
  firstName: 'Nouvel',
  lastName: 'Agent',
  roles: ['viewer'],
  ...extra,
});
const extensionsOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { extensions: Record<string, unknown> }).extensions;
  }
  throw new Error('no refusal');
};

describe('user administration rules', () => {
  describe('when provisioning', () => {
    it('accepts a regional officer with a region, roles sorted, blank reason dropped', () => {
      expect(checkProvision(input({ roles: ['viewer', 'regional-officer'], region: 'MA-03', reason: ' ' }))).toMatchObject({
        roles: ['regional-officer', 'viewer'],
        region: 'MA-03',
        reason: null,
      });
    });
    it.each([
      [{ username: 'ab' }, { code: 'BAD_USER_INPUT', field: 'username' }],
      [{ username: 'Upper' }, { code: 'BAD_USER_INPUT', field: 'username' }],
      [{ email: 'a@b' }, { code: 'BAD_USER_INPUT', field: 'email' }],
      [{ firstName: ' ' }, { code: 'BAD_USER_INPUT', field: 'firstName' }],
      [{ initialPassword: 'short' }, { code: 'BAD_USER_INPUT', field: 'initialPassword' }],
      [{ roles: ['root'] }, { code: 'BAD_USER_INPUT', field: 'roles' }],
      [{ roles: ['viewer', 'viewer'] }, { code: 'BAD_USER_INPUT', field: 'roles' }],
      [{ roles: ['regional-officer'] }, { code: 'DOMAIN_RULE_VIOLATION', rule: 'admin.region.required' }],
      [
        { roles: ['regional-officer'], region: 'MA-13' },
        { code: 'BAD_USER_INPUT', field: 'region' },
      ],
      [
        { roles: ['viewer'], region: 'MA-03' },
        { code: 'DOMAIN_RULE_VIOLATION', rule: 'admin.region.regional-officer-only' },
      ],
      [{ reason: 'x'.repeat(501) }, { code: 'BAD_USER_INPUT', field: 'reason' }],
    ])('refuses %j', (extra, expected) => {
      expect(extensionsOf(() => checkProvision(input(extra)))).toMatchObject(expected);
    });
  });

  describe('when assigning roles', () => {
    it('refuses an admin who assigns their own roles', () => {
      expect(extensionsOf(() => checkNotSelf('sub-1', 'sub-1'))).toMatchObject({ rule: 'admin.roles.self-grant' });
      expect(() => checkNotSelf('sub-1', 'sub-2')).not.toThrow();
    });
    it('keeps national officers', () => {
      expect(checkRoles(['regional-officer'], 'NATIONAL')).toEqual({ roles: ['regional-officer'], region: 'NATIONAL' });
    });
  });

  describe('when deactivating', () => {
    it('refuses the last admin, not one of several', () => {
      expect(extensionsOf(() => checkNotLastAdmin(0))).toMatchObject({
        code: 'DOMAIN_RULE_VIOLATION',
        rule: 'admin.deactivate.last-admin',
      });
      expect(() => checkNotLastAdmin(1)).not.toThrow();
    });
    it('trims a reason', () => {
      expect(checkReason('  départ ')).toBe('départ');
    });
  });
});
