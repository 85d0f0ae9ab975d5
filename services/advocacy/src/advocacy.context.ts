import * as path from 'node:path';
import { defineContext } from '@hrp/context-kit';
import { EventRegistry } from '@hrp/contracts';
import { dossierAggregate } from './dossier/dossier.aggregate';
import { ADVOCACY_CONTEXT, dossierEventDefinitions } from './dossier/dossier.registry';
import { DOSSIER_VIEW, dossierViewHandlers } from './projections/dossier-view.projection';
import { UPR_VIEW, UPR_VIEW_LIST, uprViewHandlers } from './upr/projections/upr-view.projection';
import { uprAggregate } from './upr/upr.aggregate';
import { uprEventDefinitions } from './upr/upr.registry';

/** Every event type of advocacy (dossiers', UPR recommendations'), in one registry (one context, one topic). */
export const advocacyEventRegistry = [...dossierEventDefinitions, ...uprEventDefinitions].reduce(
  (r, d) => r.register(d),
  new EventRegistry(ADVOCACY_CONTEXT),
);

/** The advocacy context: dossiers with their recommendations and engagements, the UPR recommendations received. */
export const advocacyContext = defineContext({
  name: ADVOCACY_CONTEXT,
  registry: advocacyEventRegistry,
  aggregates: [dossierAggregate, uprAggregate],
  sdl: [path.join(__dirname, 'advocacy.graphql'), path.join(__dirname, 'upr', 'upr.graphql')],
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
    { name: UPR_VIEW, handlers: uprViewHandlers, list: UPR_VIEW_LIST },
  ],
});
