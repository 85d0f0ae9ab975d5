import * as path from 'node:path';
import { defineAggregate, defineContext, defineReaction, knownEntitiesView } from '@hrp/context-kit';
import { EventRegistry } from '@hrp/contracts';
import type { TrainingModuleCommand } from './module/module.decider';
import { trainingModuleDecider } from './module/module.decider';
import { exists as moduleExists } from './module/module.events';
import { authorize as authorizeModule } from './module/module.policy';
import { TRAINING_CONTEXT, moduleEventDefinitions } from './module/module.registry';
import { MODULE_VIEW, moduleViewHandlers } from './module/projections/module-view.projection';
import type { UserTrainingSessionCommand } from './session/session.decider';
import { recordFundingDecisionFrom, trainingSessionDecider } from './session/session.decider';
import { exists as sessionExists } from './session/session.events';
import { authorize as authorizeSession } from './session/session.policy';
import { sessionEventDefinitions } from './session/session.registry';
import { SESSION_VIEW, sessionViewHandlers } from './session/projections/session-view.projection';

/** Every event type of training, modules' and sessions', in one registry (one context, one topic). */
export const trainingEventRegistry = [...moduleEventDefinitions, ...sessionEventDefinitions].reduce(
  (r, d) => r.register(d),
  new EventRegistry(TRAINING_CONTEXT),
);

/** The partners a session may name: partnerships' partners and their status, fed by its topic. */
export const KNOWN_PARTNERS = 'known_partners';
const knownPartners = knownEntitiesView({
  name: KNOWN_PARTNERS,
  from: 'partnerships',
  active: ['PartnerRegistered', 'PartnerReactivated'],
  inactive: ['PartnerDeactivated'],
});

/** A training module (`module-<uuid>`): what is taught, to whom, for how long. */
export const moduleAggregate = defineAggregate({
  name: 'TrainingModule',
  streamPrefix: 'module-',
  decider: trainingModuleDecider,
  streamOf: (command) => command.data.moduleId,
  creates: ['CreateTrainingModule'] as TrainingModuleCommand['type'][],
  exists: moduleExists,
  authorize: (principal, command: TrainingModuleCommand, state) => authorizeModule(principal, command, state),
  snapshotEvery: 100,
});

/** A training session (`session-<uuid>`): its participants, attendance, scores and certificates. */
export const sessionAggregate = defineAggregate({
  name: 'TrainingSession',
  streamPrefix: 'session-',
  decider: trainingSessionDecider,
  streamOf: (command) => command.data.sessionId,
  creates: ['ScheduleTrainingSession'] as UserTrainingSessionCommand['type'][],
  exists: sessionExists,
  authorize: (principal, command: UserTrainingSessionCommand, state) => authorizeSession(principal, command, state),
  snapshotEvery: 100,
});

/** Finance's funding decisions on sessions become the session's RecordFundingDecision (redelivery is a no-op). */
export const fundingDecisions = defineReaction({
  name: 'funding-decisions',
  from: ['finance'],
  actor: { subject: 'system:finance-events', username: 'finance-events' },
  aggregate: sessionAggregate,
  on: { CommitmentApproved: recordFundingDecisionFrom, CommitmentRejected: recordFundingDecisionFrom },
});

/** The training context: modules, sessions, enrolment, attendance, assessments and certificates. */
export const trainingContext = defineContext({
  name: TRAINING_CONTEXT,
  registry: trainingEventRegistry,
  aggregates: [moduleAggregate, sessionAggregate],
  sdl: [path.join(__dirname, 'training.graphql')],
  projections: [
    {
      name: MODULE_VIEW,
      handlers: moduleViewHandlers,
      // 2: listed (createdPosition), createdAt and tagKeys (TaggedWork.trainingModules, the reverse view of a tag).
      revision: 2,
      list: { sortKey: 'createdPosition', indexed: ['tagKeys', 'status'] },
    },
    {
      name: SESSION_VIEW,
      handlers: sessionViewHandlers,
      // partnerIds: Partner.trainingSessions (a multikey index on MongoDB).
      list: { sortKey: 'scheduledPosition', indexed: ['status', 'region', 'moduleId', 'certificateCodes', 'partnerIds'] },
    },
    // The partner ids a session may name, from partnerships' events.
    knownPartners,
  ],
  reactions: [fundingDecisions],
});
