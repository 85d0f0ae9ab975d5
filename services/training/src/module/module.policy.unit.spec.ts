import { DEV_PRINCIPALS } from '@hrp/testing';
import type { CommandMetadata } from '@hrp/domain-kit';
import type { TrainingModuleCommand } from './module.decider';
import { trainingModuleDecider } from './module.decider';
import type { TrainingPrincipal } from './module.policy';
import { MODULE_COMMAND_ROLES, authorize } from './module.policy';

// ---------- fixtures ----------

const MODULE_ID = 'module-1';
const metadata: CommandMetadata = {
  now: '2025-02-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'someone' },
  correlationId: 'c-1',
};

/** The 12 development users of the Keycloak realm (infra/keycloak/realm-hrp.json). */
const USERS: Record<string, TrainingPrincipal> = DEV_PRINCIPALS;

const COMMANDS: Record<TrainingModuleCommand['type'], TrainingModuleCommand> = {
  CreateTrainingModule: {
    type: 'CreateTrainingModule',
    data: { moduleId: MODULE_ID, title: { fr: 'Module' }, professions: ['TEACHER'], instruments: [], hours: 6 },
    metadata,
  },
  PublishTrainingModule: { type: 'PublishTrainingModule', data: { moduleId: MODULE_ID }, metadata },
  RetireTrainingModule: { type: 'RetireTrainingModule', data: { moduleId: MODULE_ID }, metadata },
};
const COMMAND_NAMES = Object.keys(COMMANDS) as TrainingModuleCommand['type'][];

/** Who may do what (Y), one column per command in the order of COMMANDS: Create Publish Retire. */
const MATRIX: Record<keyof typeof USERS, string> = {
  admin: '---',
  director: 'YYY',
  'campaign-manager': '---',
  'training-coordinator': 'YYY',
  'partnership-officer': '---',
  'advocacy-officer': '---',
  'finance-officer': '---',
  'me-officer': '---',
  'regional-officer': '---',
  'regional-officer-ma06': '---',
  auditor: '---',
  viewer: '---',
};

const table: Array<[string, string, boolean]> = Object.entries(MATRIX).flatMap(([user, row]) =>
  COMMAND_NAMES.map((command, i) => [user, command, row[i] === 'Y'] as [string, string, boolean]),
);

describe('Training module policy', () => {
  describe('for every development user and every command', () => {
    it('has a row for every development user and a column for every command', () => {
      expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(DEV_PRINCIPALS).sort());
      expect(Object.values(MATRIX).every((row) => row.length === COMMAND_NAMES.length)).toBe(true);
      expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(MODULE_COMMAND_ROLES).sort());
    });

    it.each(table)('%s running %s: allowed = %s', (user, command, allowed) => {
      const decision = authorize(USERS[user], COMMANDS[command as TrainingModuleCommand['type']], trainingModuleDecider.initialState());
      expect(decision.ok).toBe(allowed);
      if (!decision.ok) expect(decision.reason).toEqual(expect.stringMatching(new RegExp(`^${command} needs the `)));
    });
  });

  describe('for a user with several roles', () => {
    it('grants what the strongest role grants', () => {
      expect(authorize({ roles: ['viewer', 'training-coordinator'] }, COMMANDS.PublishTrainingModule).ok).toBe(true);
    });

    it('refuses a user without any role', () => {
      for (const command of Object.values(COMMANDS)) expect(authorize({ roles: [] }, command).ok).toBe(false);
    });
  });
});
