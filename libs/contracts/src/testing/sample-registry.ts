import { EventRegistry } from '../registry';
import { localizedTextSchema, regionSchema } from '../vocabulary/schemas';

/*
 * A sample context used by the contracts' own tests until services register real events; kept
 * out of `allRegistries()` and of the public index. `SampleRegistered` shows a v1 → v2 change:
 * v1 had a plain French `name` string, v2 a LocalizedText `title` and a required region.
 */

/** Data of `SampleRegistered` v1 (as stored by older releases). */
export interface SampleRegisteredV1 {
  readonly sampleId: string;
  readonly name: string;
}

/** Data of `SampleRegistered` v2 (current). */
export interface SampleRegisteredV2 {
  readonly sampleId: string;
  readonly title: { readonly fr: string; readonly ar?: string; readonly en?: string; readonly zgh?: string };
  readonly region: string;
}

export const sampleRegistry = new EventRegistry('sample')
  .register({
    type: 'SampleRegistered',
    currentVersion: 2,
    schemas: {
      1: {
        type: 'object',
        required: ['sampleId', 'name'],
        additionalProperties: false,
        properties: { sampleId: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
      },
      2: {
        type: 'object',
        required: ['sampleId', 'title', 'region'],
        additionalProperties: false,
        properties: { sampleId: { type: 'string', minLength: 1 }, title: localizedTextSchema(), region: regionSchema },
      },
    },
    upcasters: {
      // v1 events predate regions: they were all national.
      1: (v1: SampleRegisteredV1): SampleRegisteredV2 => ({ sampleId: v1.sampleId, title: { fr: v1.name }, region: 'NATIONAL' }),
    },
  })
  .register({
    type: 'SampleArchived',
    currentVersion: 1,
    schemas: {
      1: {
        type: 'object',
        required: ['sampleId'],
        additionalProperties: false,
        properties: { sampleId: { type: 'string', minLength: 1 }, reason: { type: ['string', 'null'], maxLength: 500 } },
      },
    },
  });
