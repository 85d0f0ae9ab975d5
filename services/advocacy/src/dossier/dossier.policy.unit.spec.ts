import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { DossierCommand } from './dossier.decider';
import { dossierDecider } from './dossier.decider';
import type { AdvocacyPrincipal } from './dossier.policy';
import { DOSSIER_COMMAND_ROLES, authorize } from './dossier.policy';

const metadata: CommandMetadata = {
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'someone' },
  correlationId: 'c-1',
};
const on = { dossierId: 'dossier-1' };
const evidence = { reference: 'Lettre n° 12/2025', date: '2025-02-20' };

/** The 12 development users of the Keycloak realm (infra/keycloak/realm-hrp.json). */
const USERS: Record<string, AdvocacyPrincipal> = DEV_PRINCIPALS;

const COMMANDS: Record<DossierCommand['type'], DossierCommand> = {
  OpenDossier: { type: 'OpenDossier', data: { ...on, topic: { fr: 'Torture' }, target: 'PARLIAMENT' }, metadata },
  IssueRecommendation: {
    type: 'IssueRecommendation',
    data: {
      ...on,
      recommendationId: 'recommendation-1',
      text: { fr: 'Ratifier' },
      addressee: 'Parlement',
      source: 'MEMORANDUM',
      issuedOn: '2025-01-10',
    },
    metadata,
  },
  ChangeRecommendationStatus: {
    type: 'ChangeRecommendationStatus',
    data: { ...on, recommendationId: 'recommendation-1', status: 'ADOPTED', evidence },
    metadata,
  },
  LogEngagement: {
    type: 'LogEngagement',
    data: { ...on, engagementId: 'engagement-1', kind: 'HEARING', date: '2025-02-01', stakeholders: ['Chambre des représentants'] },
    metadata,
  },
  RecordEngagementOutcome: { type: 'RecordEngagementOutcome', data: { ...on, engagementId: 'engagement-1', outcome: 'Suivi' }, metadata },
  CloseDossier: { type: 'CloseDossier', data: { ...on, outcome: 'Loi adoptée' }, metadata },
};
const COMMAND_NAMES = Object.keys(COMMANDS) as DossierCommand['type'][];

/** Who may do what (Y), one column per command in the order of COMMANDS: Open Issue Change Log Outcome Close. */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '------',
  director: 'YYYYYY',
  'campaign-manager': '------',
  'training-coordinator': '------',
  'partnership-officer': '------',
  'advocacy-officer': 'YYYYYY',
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

describe('Dossier policy', () => {
  describe('for every development user and every command', () => {
    it('has a row for every development user and a column for every command', () => {
      expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(DEV_PRINCIPALS).sort());
      expect(Object.values(MATRIX).every((row) => row.length === COMMAND_NAMES.length)).toBe(true);
      expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(DOSSIER_COMMAND_ROLES).sort());
    });

    it.each(table)('%s running %s: allowed = %s', (user, command, allowed) => {
      const decision = authorize(USERS[user], COMMANDS[command as DossierCommand['type']], dossierDecider.initialState());
      expect(decision.ok).toBe(allowed);
      if (!decision.ok) expect(decision.reason).toEqual(expect.stringMatching(new RegExp(`^${command} needs the `)));
    });
  });

  describe('for a user with several roles', () => {
    it('grants what the strongest role grants', () => {
      expect(authorize({ roles: ['viewer', 'advocacy-officer'] }, COMMANDS.OpenDossier).ok).toBe(true);
    });

    it('refuses a user without any role, and an unknown command', () => {
      for (const command of Object.values(COMMANDS)) expect(authorize({ roles: [] }, command).ok).toBe(false);
      expect(authorize({ roles: ['director'] }, { ...COMMANDS.CloseDossier, type: 'ReopenDossier' } as never)).toEqual({
        ok: false,
        reason: 'unknown command ReopenDossier',
      });
    });
  });
});
