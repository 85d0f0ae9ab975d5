import { defineAggregate } from '@hrp/context-kit';
import type { DossierCommand } from './dossier.decider';
import { dossierDecider } from './dossier.decider';
import { exists as dossierExists } from './dossier.events';
import { authorize as authorizeDossier } from './dossier.policy';

/**
 * An advocacy dossier (`dossier-<uuid>`): its recommendations with their history, its
 * engagements, OPEN or CLOSED. Every command names its dossier; only OpenDossier creates one.
 */
export const dossierAggregate = defineAggregate({
  name: 'AdvocacyDossier',
  streamPrefix: 'dossier-',
  decider: dossierDecider,
  streamOf: (command) => command.data.dossierId,
  creates: ['OpenDossier'] as DossierCommand['type'][],
  exists: dossierExists,
  authorize: (principal, command: DossierCommand, state) => authorizeDossier(principal, command, state),
  snapshotEvery: 100,
});
