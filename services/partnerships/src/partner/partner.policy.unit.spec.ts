import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { PartnerCommand } from './partner.decider';
import { partnerDecider } from './partner.decider';
import type { PartnershipsPrincipal } from './partner.policy';
import { PARTNER_COMMAND_ROLES, authorize } from './partner.policy';

const metadata: CommandMetadata = {
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'someone' },
  correlationId: 'c-1',
};
const on = { partnerId: 'partner-1' };
const pii = { keyId: 'k-1', ciphertext: 'x' };

/** The 12 development users of the Keycloak realm (infra/keycloak/realm-hrp.json). */
const USERS: Record<string, PartnershipsPrincipal> = DEV_PRINCIPALS;

const COMMANDS: Record<PartnerCommand['type'], PartnerCommand> = {
  RegisterPartner: { type: 'RegisterPartner', data: { ...on, name: { fr: 'Adala' }, type: 'NGO', country: 'MA' }, metadata },
  UpdatePartner: { type: 'UpdatePartner', data: { ...on, type: 'MEDIA' }, metadata },
  AddContact: { type: 'AddContact', data: { ...on, contactId: 'c-1', pii }, metadata },
  RemoveContact: { type: 'RemoveContact', data: { ...on, contactId: 'c-1' }, metadata },
  DeactivatePartner: { type: 'DeactivatePartner', data: on, metadata },
  ReactivatePartner: { type: 'ReactivatePartner', data: on, metadata },
};
const COMMAND_NAMES = Object.keys(COMMANDS) as PartnerCommand['type'][];

/** Who may do what (Y), one column per command in the order of COMMANDS: Register Update Add Remove Deactivate Reactivate. */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '------',
  director: 'YYYYYY',
  'campaign-manager': '------',
  'training-coordinator': '------',
  'partnership-officer': 'YYYYYY',
  'advocacy-officer': '------',
  'finance-officer': '------',
  'me-officer': '------',
  'regional-officer': '------',
  'regional-officer-ma06': '------',
  auditor: '------',
  viewer: '------',
};

const table: Array<[string, string, boolean]> = Object.entries(MATRIX).flatMap(([user, row]) =>
  COMMAND_NAMES.map((command, i) => [user, command, row[i] === 'Y'] as [string, string, boolean]),
);

describe('Partner policy', () => {
  describe('for every development user and every command', () => {
    it('has a row for every development user and a column for every command', () => {
      expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(DEV_PRINCIPALS).sort());
      expect(Object.values(MATRIX).every((row) => row.length === COMMAND_NAMES.length)).toBe(true);
      expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(PARTNER_COMMAND_ROLES).sort());
    });

    it.each(table)('%s running %s: allowed = %s', (user, command, allowed) => {
      const decision = authorize(USERS[user], COMMANDS[command as PartnerCommand['type']], partnerDecider.initialState());
      expect(decision.ok).toBe(allowed);
      if (!decision.ok) expect(decision.reason).toEqual(expect.stringMatching(new RegExp(`^${command} needs the `)));
    });
  });

  describe('for a user with several roles', () => {
    it('grants what the strongest role grants', () => {
      expect(authorize({ roles: ['viewer', 'partnership-officer'] }, COMMANDS.RegisterPartner).ok).toBe(true);
    });

    it('refuses a user without any role, and an unknown command', () => {
      for (const command of Object.values(COMMANDS)) expect(authorize({ roles: [] }, command).ok).toBe(false);
      expect(authorize({ roles: ['director'] }, { ...COMMANDS.UpdatePartner, type: 'MergePartners' } as never)).toEqual({
        ok: false,
        reason: 'unknown command MergePartners',
      });
    });
  });
});
