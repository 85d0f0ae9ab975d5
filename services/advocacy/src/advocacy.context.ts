import * as path from 'node:path';
import { defineContext } from '@hrp/context-kit';
import { EventRegistry } from '@hrp/contracts';
import { dossierAggregate } from './dossier/dossier.aggregate';
import { ADVOCACY_CONTEXT, dossierEventDefinitions } from './dossier/dossier.registry';
import { DOSSIER_VIEW, dossierViewHandlers } from './projections/dossier-view.projection';

/** Every event type of advocacy (dossiers', UPR recommendations'), in one registry (one context, one topic). */
export const advocacyEventRegistry = [...dossierEventDefinitions].reduce((r, d) => r.register(d), new EventRegistry(ADVOCACY_CONTEXT));

/** The advocacy context: dossiers with their recommendations and engagements, the UPR recommendations received. */
export const advocacyContext = defineContext({
  name: ADVOCACY_CONTEXT,
  registry: advocacyEventRegistry,
  aggregates: [dossierAggregate],
  sdl: [path.join(__dirname, 'advocacy.graphql')],
  projections: [
    {
      name: DOSSIER_VIEW,
      handlers: dossierViewHandlers,
      list: {
        sortKey: 'openedPosition',
        // recIds, recAddressees, recYears, recTagKeys, tagKeys: multikey indexes on MongoDB.
        indexed: ['status', 'target', 'searchTerms', 'tagKeys', 'recIds', 'recAddressees', 'recYears', 'recTagKeys'],
      },
    },
  ],
});
