import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { PartnershipsPrincipal } from '../partner/partner.policy';
import type { AgreementCommand, UserAgreementCommand } from './agreement.decider';
import { agreementDecider } from './agreement.decider';
import { AGREEMENT_COMMAND_ROLES, authorize } from './agreement.policy';

const metadata: CommandMetadata = {
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'someone' },
  correlationId: 'c-1',
};
const on = { agreementId: 'agreement-1' };

/** The 12 development users of the Keycloak realm; `regional-officer` has MA-01, `regional-officer-ma06` MA-06. */
const USERS: Record<string, PartnershipsPrincipal> = DEV_PRINCIPALS;

const COMMANDS: Record<UserAgreementCommand['type'], UserAgreementCommand> = {
  DraftAgreement: {
    type: 'DraftAgreement',
    data: {
      ...on,
      partnerId: 'partner-1',
      partner: { status: 'ACTIVE' },
      title: { fr: 'Convention' },
      scope: { fr: 'Portée' },
      period: { start: '2025-04-01', end: '2025-12-31' },
      commitments: { ours: [], theirs: [] },
    },
    metadata,
  },
  StartNegotiation: { type: 'StartNegotiation', data: on, metadata },
  SignAgreement: { type: 'SignAgreement', data: { ...on, signedOn: '2025-03-01' }, metadata },
  ActivateAgreement: { type: 'ActivateAgreement', data: { ...on, today: '2025-04-01' }, metadata },
  RenewAgreement: { type: 'RenewAgreement', data: { ...on, newEnd: '2026-12-31' }, metadata },
  TerminateAgreement: { type: 'TerminateAgreement', data: { ...on, reason: 'Fin' }, metadata },
  CancelAgreement: { type: 'CancelAgreement', data: { ...on, reason: 'Abandon' }, metadata },
};
const COMMAND_NAMES = Object.keys(COMMANDS) as UserAgreementCommand['type'][];

/** Who may do what (Y), one column per command in the order of COMMANDS: Draft Negotiate Sign Activate Renew Terminate Cancel. */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '-------',
  director: 'YYYYYYY',
  'campaign-manager': '-------',
  'training-coordinator': '-------',
  'partnership-officer': 'YYYYYYY',
  'advocacy-officer': '-------',
  'finance-officer': '-------',
  'me-officer': '-------',
  'regional-officer': '-------',
  'regional-officer-ma06': '-------',
  auditor: '-------',
  viewer: '-------',
};

const table: Array<[string, string, boolean]> = Object.entries(MATRIX).flatMap(([user, row]) =>
  COMMAND_NAMES.map((command, i) => [user, command, row[i] === 'Y'] as [string, string, boolean]),
);

const SYSTEM_COMMANDS: AgreementCommand[] = [
  {
    type: 'RecordFundingDecision',
    data: { ...on, decision: 'APPROVED', commitmentId: 'c', amount: { amount: '1', currency: 'MAD' }, decidedAt: metadata.now },
    metadata,
  },
  { type: 'RecordExpiryNotices', data: { ...on, today: '2025-12-01' }, metadata },
];

describe('Agreement policy', () => {
  describe('for every development user and every user command', () => {
    it('has a row for every development user and a column for every user command', () => {
      expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(DEV_PRINCIPALS).sort());
      expect(Object.values(MATRIX).every((row) => row.length === COMMAND_NAMES.length)).toBe(true);
      expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(AGREEMENT_COMMAND_ROLES).sort());
    });

    it.each(table)('%s running %s: allowed = %s', (user, command, allowed) => {
      const decision = authorize(USERS[user], COMMANDS[command as UserAgreementCommand['type']], agreementDecider.initialState());
      expect(decision.ok).toBe(allowed);
      if (!decision.ok) expect(decision.reason).toEqual(expect.stringMatching(new RegExp(`^${command} needs the `)));
    });
  });

  describe('for the system commands', () => {
    it.each(SYSTEM_COMMANDS.map((c) => [c.type, c] as const))('refuses %s to everyone, the director included', (type, command) => {
      for (const user of Object.values(USERS)) {
        expect(authorize(user, command as UserAgreementCommand)).toEqual({
          ok: false,
          reason: expect.stringContaining(`${type} is a system command`),
        });
      }
    });
  });

  describe('for a user with several roles', () => {
    it('grants what the strongest role grants, and nothing without a role', () => {
      expect(authorize({ roles: ['auditor', 'director'] }, COMMANDS.SignAgreement).ok).toBe(true);
      for (const command of Object.values(COMMANDS)) expect(authorize({ roles: [] }, command).ok).toBe(false);
    });
  });
});
