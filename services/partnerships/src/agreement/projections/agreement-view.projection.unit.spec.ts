import type { StoredEvent } from '@hrp/contracts';
import type { ProjectionUpdate } from '@hrp/messaging';
import type { AgreementEvent, AgreementEventType } from '../agreement.events';
import { agreementViewHandlers } from './agreement-view.projection';

// ---------- fixtures ----------

type DataOf<T extends AgreementEventType> = Extract<AgreementEvent, { type: T }>['data'];

const AGREEMENT_ID = 'agreement-1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const UPR = { kind: 'UPR_RECOMMENDATION', ref: '4-148.12' } as const;
const NAP = { kind: 'NATIONAL_PLAN_MEASURE', ref: 'PANDDH-2.3' } as const;

function stored<T extends AgreementEventType>(type: T, data: DataOf<T>, version = 1): StoredEvent {
  return {
    streamId: AGREEMENT_ID,
    streamVersion: version,
    position: 3100 + version,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      eventId: `event-${version}`,
      time: '2025-01-10T10:00:00.000Z',
      actor: { subject: 'kc-partnership-officer', username: 'partnership-officer' },
      correlationId: 'corr-1',
    },
  };
}

const draftedData = (data: Partial<DataOf<'AgreementDrafted'>> = {}): DataOf<'AgreementDrafted'> => ({
  agreementId: AGREEMENT_ID,
  partnerId: 'partner-unicef',
  title: { fr: 'Convention de formation' },
  scope: { fr: 'Formation des formateurs' },
  period: { start: '2025-02-01', end: '2026-01-31' },
  commitments: { ours: ['salles'], theirs: ['formateurs'] },
  contributions: [],
  tags: [UPR, NAP],
  ...data,
});

const project = (event: StoredEvent): ProjectionUpdate | null | undefined =>
  (agreementViewHandlers as Record<string, (e: StoredEvent) => ProjectionUpdate | null | undefined>)[event.type](event);

// ---------- specs ----------

describe('agreement view projection', () => {
  describe('when an agreement is drafted', () => {
    it('keys every tag as KIND:ref, for the reverse view of a tag', () => {
      expect(project(stored('AgreementDrafted', draftedData()))?.$set).toMatchObject({
        tags: [UPR, NAP],
        tagKeys: ['UPR_RECOMMENDATION:4-148.12', 'NATIONAL_PLAN_MEASURE:PANDDH-2.3'],
      });
    });

    it('keys no tag when the agreement has none', () => {
      expect(project(stored('AgreementDrafted', draftedData({ tags: [] })))?.$set).toMatchObject({ tags: [], tagKeys: [] });
    });
  });

  describe('when it is signed', () => {
    it('leaves its tags and keys alone', () => {
      const set = project(stored('AgreementSigned', { agreementId: AGREEMENT_ID, signedOn: '2025-01-20' }, 2))?.$set;
      expect(set).not.toHaveProperty('tags');
      expect(set).not.toHaveProperty('tagKeys');
    });
  });
});
