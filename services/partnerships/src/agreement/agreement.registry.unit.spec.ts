import { join } from 'node:path';
import {
  FUNDING_EVENTS,
  fingerprintSchema,
  fundingRequestedSchemaV1,
  fundingRequestedSchemaV2,
  fundingWithdrawnSchemaV1,
} from '@hrp/contracts';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import { partnerEventDefinitions } from '../partner/partner.registry';
import type { AgreementCommand } from './agreement.decider';
import { agreementDecider } from './agreement.decider';
import type { AgreementEvent, AgreementState } from './agreement.events';
import { AGREEMENT_EVENT_TYPES } from './agreement.events';
import { agreementEventDefinitions, agreementEventRegistry } from './agreement.registry';

const SNAPSHOT_FILE = join(__dirname, 'agreement.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/partnerships/src/agreement/agreement.registry and commit this file.';

// ---------- whole lives, through decide, to check what they write ----------

const meta = (): CommandMetadata => ({
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'partnership-officer' },
  correlationId: 'c-1',
});

function run(commands: Array<Pick<AgreementCommand, 'type' | 'data'>>): AgreementEvent[] {
  let state: AgreementState = agreementDecider.initialState();
  const written: AgreementEvent[] = [];
  for (const command of commands) {
    const events = agreementDecider.decide({ ...command, metadata: meta() } as AgreementCommand, state);
    state = events.reduce(agreementDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const draft = (agreementId: string, reject?: string): Array<Pick<AgreementCommand, 'type' | 'data'>> => [
  {
    type: 'DraftAgreement',
    data: {
      agreementId,
      partnerId: 'partner-5d1c',
      partner: { status: 'ACTIVE' },
      title: { fr: 'Convention cadre', ar: 'اتفاقية إطار', en: 'Framework agreement', zgh: 'ⴰⵎⵢⴰⵏⴰⵡ' },
      scope: { fr: 'Sensibilisation et formation' },
      period: { start: '2025-04-01', end: '2025-12-31' },
      commitments: { ours: ['Financer'], theirs: ['Accueillir', 'Former'] },
      contributions: [
        { direction: 'FROM_US', kind: 'FINANCIAL', money: { amount: 5_000_000n } },
        { direction: 'FROM_PARTNER', kind: 'IN_KIND', description: 'Salles', estimatedValue: { amount: 0n, currency: 'MAD' } },
      ],
      budgetLineId: 'budget-2025.line-3',
      tags: [{ kind: 'INSTRUMENT', ref: 'ICCPR' }],
    },
  },
  {
    type: 'RecordFundingDecision',
    data: {
      agreementId,
      commitmentId: 'commitment-1',
      requestId: `${agreementId}.funding-request`,
      amount: { amount: '5000000', currency: 'MAD' },
      decidedAt: '2025-03-01T10:00:00.000Z',
      ...(reject === undefined ? { decision: 'APPROVED' as const } : { decision: 'REJECTED' as const, reason: reject }),
    },
  },
];

const wholeLives = (): AgreementEvent[] => {
  const a = 'agreement-6e2b';
  const b = 'agreement-7f3c';
  return [
    ...run([
      ...draft(a),
      { type: 'StartNegotiation', data: { agreementId: a } },
      { type: 'SignAgreement', data: { agreementId: a, signedOn: '2025-03-01' } },
      { type: 'ActivateAgreement', data: { agreementId: a, today: '2025-04-01' } },
      { type: 'RenewAgreement', data: { agreementId: a, newEnd: '2026-06-30' } },
      { type: 'RecordExpiryNotices', data: { agreementId: a, today: '2026-07-01' } },
    ]),
    ...run([...draft(b, 'Ligne épuisée'), { type: 'CancelAgreement', data: { agreementId: b, reason: 'Abandon' } }]),
    ...run([
      ...draft(a),
      { type: 'StartNegotiation', data: { agreementId: a } },
      { type: 'SignAgreement', data: { agreementId: a, signedOn: '2025-03-01' } },
      { type: 'TerminateAgreement', data: { agreementId: a, reason: 'Partenaire dissous' } },
    ]),
  ];
};

describe('Agreement event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, at version 1 but the shared FundingRequested (v2), in the partnerships context', () => {
      expect(agreementEventRegistry.context).toBe('partnerships');
      expect(agreementEventRegistry.types()).toEqual([...AGREEMENT_EVENT_TYPES]);
      expect(agreementEventDefinitions.map((d) => d.type)).toEqual([...AGREEMENT_EVENT_TYPES]);
      for (const type of AGREEMENT_EVENT_TYPES) {
        expect({ type, version: agreementEventRegistry.currentVersion(type) }).toEqual({
          type,
          version: type === 'FundingRequested' ? FUNDING_EVENTS.FundingRequested.schemaVersion : 1,
        });
      }
    });

    it('use the shared integration schemas for FundingRequested (every version) and FundingWithdrawn, so finance reads them as written', () => {
      expect(fingerprintSchema(agreementEventRegistry.schema('FundingRequested'))).toBe(fingerprintSchema(fundingRequestedSchemaV2));
      expect(fingerprintSchema(agreementEventRegistry.schema('FundingRequested', 1))).toBe(fingerprintSchema(fundingRequestedSchemaV1));
      expect(fingerprintSchema(agreementEventRegistry.schema('FundingWithdrawn'))).toBe(fingerprintSchema(fundingWithdrawnSchemaV1));
    });

    it('share no type name with the partner’s, so that the wiring combines both in one registry', () => {
      const partnerTypes = new Set(partnerEventDefinitions.map((d) => d.type));
      expect(agreementEventDefinitions.filter((d) => partnerTypes.has(d.type))).toEqual([]);
    });
  });

  describe('when whole agreement lives run through decide', () => {
    const events = wholeLives();

    it('write every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(AGREEMENT_EVENT_TYPES));
    });

    it('write only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: agreementEventRegistry.issues(event.type, event.data) }).toEqual({
          type: event.type,
          issues: [],
        });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses a threshold that is not 60, 30 or 7, and a date that is not one', () => {
      expect(
        agreementEventRegistry.issues('AgreementExpiring', {
          agreementId: 'agreement-1',
          threshold: 15,
          endDate: '2025-12-31',
          noticedOn: 'hier',
        }),
      ).toHaveLength(2);
    });

    it('refuses a financial contribution of zero and an unknown direction', () => {
      const [drafted] = wholeLives();
      const contributions = [{ direction: 'BOTH', kind: 'FINANCIAL', money: { amount: '0', currency: 'MAD' } }];
      expect(agreementEventRegistry.issues('AgreementDrafted', { ...drafted.data, contributions })).toHaveLength(2);
    });
  });

  // The schema-change guard of libs/contracts, applied to this aggregate's event schemas.
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [agreementEventRegistry], UPDATE);
    });
  });
});
