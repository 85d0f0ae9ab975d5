import { defineAggregate } from '@hrp/context-kit';
import type { UprCommand } from './upr.decider';
import { uprDecider } from './upr.decider';
import { exists } from './upr.events';
import { authorize } from './upr.policy';

/**
 * A UPR recommendation received by Morocco (`upr-<cycle>-<paragraph>`, see upr.events.ts).
 *
 * Its one command is create-or-update, which `CommandService.execute` cannot run: a creating
 * command expects no stream (a re-import would be a CONFLICT), any other expects one (a first
 * import would be NOT_FOUND). So `creates` is empty and the resolver runs it as the kit's jobs and
 * reactions do: it checks `authorize` itself (once per request), then `CommandService.run` with the
 * caller's metadata (`commandMetadata(principal)`), which loads, decides, validates against the
 * registry and appends with the stream's version (a lost race is retried on the fresh state, where
 * the same row is then a no-op). `authorize` and `exists` are still the aggregate's, for the kit
 * and for `ReadModels.entity`.
 */
export const uprAggregate = defineAggregate({
  name: 'UprRecommendation',
  streamPrefix: 'upr-',
  decider: uprDecider,
  streamOf: (command: UprCommand) => command.data.uprId,
  creates: [] as UprCommand['type'][],
  exists,
  authorize: (principal, command: UprCommand, state) => authorize(principal, command, state),
});
