import type { Authorization, TrainingPrincipal } from '../module/module.policy';
import { DIRECTOR_ROLE, REGIONAL_OFFICER_ROLE, TRAINING_MANAGING_ROLES } from '../module/module.policy';
import type { TrainingSessionCommand, UserTrainingSessionCommand } from './session.decider';
import type { TrainingSessionState } from './session.events';
import { exists } from './session.events';

/*
 * Who may run which training session command: a pure function of the principal, the command and
 * the current state, tested like the decider. The context kit's CommandService is to call it (the
 * session aggregate's `authorize`, not wired yet) on the state the handler loads, before `decide`,
 * and map a refusal to FORBIDDEN.
 *
 * `RecordFundingDecision` is a system command: only the funding-decisions reaction builds it (from
 * `recordFundingDecisionFrom`) and runs it without the user policy, never through a resolver, so
 * it never reaches `authorize`. Should it arrive here anyway, it is refused.
 */

/** Commands a regional officer runs on the sessions of its own region. */
export const REGIONAL_SESSION_COMMANDS: ReadonlySet<UserTrainingSessionCommand['type']> = new Set<UserTrainingSessionCommand['type']>([
  'ScheduleTrainingSession',
  'EnrolParticipant',
  'WithdrawParticipant',
  'StartTrainingSession',
  'RecordAttendance',
  'RecordAssessment',
  'CompleteTrainingSession',
  'CancelTrainingSession',
]);

const ALLOWED: Authorization = { ok: true };
const refuse = (reason: string): Authorization => ({ ok: false, reason });

/**
 * Whether `principal` may run `command` on a training session in `state` (omit the state, or pass
 * the initial one, for a stream not created yet).
 *
 * - `training-coordinator` and `director`: every user command but RevokeCertificate.
 * - `director` alone revokes a certificate (it voids what the institution attested).
 * - `regional-officer` with a `region`: the REGIONAL_SESSION_COMMANDS on sessions whose region is
 *   its region (so NATIONAL ones only with a NATIONAL attribute). Without a `region`, nothing.
 * - Every other role (admin, auditor, viewer, me-officer, campaign-manager, …): nothing.
 *
 * When the session does not exist, the regional check has nothing to look at and lets the command
 * through, so that the decider answers NOT_FOUND rather than FORBIDDEN.
 */
export function authorize(principal: TrainingPrincipal, command: UserTrainingSessionCommand, state?: TrainingSessionState): Authorization {
  const type = (command as TrainingSessionCommand).type;
  if (type === 'RecordFundingDecision') return refuse('RecordFundingDecision is a system command, run by the finance-events consumer only');
  if (command.type === 'RevokeCertificate') {
    return principal.roles.includes(DIRECTOR_ROLE) ? ALLOWED : refuse(`${type} needs the ${DIRECTOR_ROLE} role`);
  }
  if (!REGIONAL_SESSION_COMMANDS.has(command.type)) return refuse(`unknown command ${type}`);
  if (principal.roles.some((r) => (TRAINING_MANAGING_ROLES as readonly string[]).includes(r))) return ALLOWED;
  if (!principal.roles.includes(REGIONAL_OFFICER_ROLE)) {
    return refuse(`${type} needs the ${TRAINING_MANAGING_ROLES.join(', ')} or ${REGIONAL_OFFICER_ROLE} role`);
  }
  const region = principal.region;
  if (region === undefined || region.length === 0) return refuse('a regional officer without a region attribute may not change sessions');

  if (command.type === 'ScheduleTrainingSession') return inRegion(command.data.region, region);
  const session = state !== undefined && exists(state) ? state : undefined;
  return session === undefined ? ALLOWED : inRegion(session.region, region);
}

function inRegion(sessionRegion: string, region: string): Authorization {
  if (sessionRegion === region) return ALLOWED;
  return refuse(`a regional officer of ${region} may not act on a session in ${sessionRegion}`);
}
