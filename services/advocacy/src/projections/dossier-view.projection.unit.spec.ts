import type { StoredEvent } from '@hrp/contracts';
import { applyUpdate } from '@hrp/messaging';
import { dossierViewHandlers } from './dossier-view.projection';

/*
 * The dossier view's handlers, applied as a rebuild applies them (libs/messaging's in-memory
 * applier, the same operators the live consumer sends to the store): recommendations and
 * engagements kept by id in order, their histories appended in place, and the multikey arrays
 * the queries read by.
 */

let position = 0;
const event = (type: string, data: Record<string, unknown>, version: number): StoredEvent =>
  ({
    type,
    data,
    streamId: 'dossier-1',
    streamVersion: version,
    position: ++position,
    schemaVersion: 1,
    metadata: { time: `2026-05-0${version}T10:00:00.000Z` },
  }) as unknown as StoredEvent;

function fold(events: StoredEvent[]) {
  let doc: Record<string, unknown> = { _id: 'dossier-1', _version: 0 };
  for (const e of events)
    doc = applyUpdate(doc, dossierViewHandlers[e.type as keyof typeof dossierViewHandlers](e), { set: { _version: e.streamVersion } });
  return doc;
}

describe('dossier_view', () => {
  const tag = { kind: 'UPR_RECOMMENDATION', ref: '4-148.12' };
  const events = [
    event(
      'DossierOpened',
      {
        dossierId: 'dossier-1',
        topic: { fr: 'Traité de Marrakech' },
        target: 'GOVERNMENT',
        instruments: ['CRPD'],
        themes: [],
        tags: [tag],
        openedAt: '2026-05-01T10:00:00Z',
      },
      1,
    ),
    event(
      'RecommendationIssued',
      {
        dossierId: 'dossier-1',
        recommendationId: 'recommendation-a',
        text: { fr: 'Ratifier' },
        addressee: 'Gouvernement',
        source: 'UPR_CYCLE',
        issuedOn: '2025-12-30',
        tags: [tag],
        recordedAt: '2026-05-02T10:00:00Z',
      },
      2,
    ),
    event(
      'RecommendationIssued',
      {
        dossierId: 'dossier-1',
        recommendationId: 'recommendation-b',
        text: { fr: 'Publier' },
        addressee: 'Parlement',
        source: 'MEMORANDUM',
        issuedOn: '2026-01-05',
        tags: [],
        recordedAt: '2026-05-03T10:00:00Z',
      },
      3,
    ),
    event(
      'RecommendationStatusChanged',
      {
        dossierId: 'dossier-1',
        recommendationId: 'recommendation-a',
        from: 'ISSUED',
        to: 'ADOPTED',
        evidence: { reference: 'BO 7300', date: '2026-05-01' },
        recordedAt: '2026-05-04T10:00:00Z',
      },
      4,
    ),
    event(
      'EngagementLogged',
      { dossierId: 'dossier-1', engagementId: 'engagement-1', kind: 'MEETING', date: '2026-05-01', stakeholders: ['Ministère'] },
      5,
    ),
    event('EngagementOutcomeRecorded', { dossierId: 'dossier-1', engagementId: 'engagement-1', outcome: 'Accord' }, 6),
    event('DossierClosed', { dossierId: 'dossier-1', outcome: 'Ratifié', closedAt: '2026-05-07T10:00:00Z' }, 7),
  ];

  it('keeps recommendations and engagements by id, in order, with each history appended in place', () => {
    const doc = fold(events) as Record<string, any>;
    expect(doc).toMatchObject({
      _version: 7,
      status: 'CLOSED',
      outcome: 'Ratifié',
      target: 'GOVERNMENT',
      tagKeys: ['UPR_RECOMMENDATION:4-148.12'],
    });
    expect(doc.recommendationOrder).toEqual(['recommendation-a', 'recommendation-b']);
    expect(doc.recommendations['recommendation-a']).toMatchObject({ status: 'ADOPTED', addressee: 'Gouvernement' });
    expect(doc.recommendations['recommendation-a'].history).toEqual([
      { status: 'ISSUED', recordedAt: '2026-05-02T10:00:00Z' },
      { status: 'ADOPTED', from: 'ISSUED', evidence: { reference: 'BO 7300', date: '2026-05-01' }, recordedAt: '2026-05-04T10:00:00Z' },
    ]);
    expect(doc.recommendations['recommendation-b'].status).toBe('ISSUED');
    expect(doc.engagementOrder).toEqual(['engagement-1']);
    expect(doc.engagements['engagement-1']).toEqual({
      id: 'engagement-1',
      kind: 'MEETING',
      date: '2026-05-01',
      stakeholders: ['Ministère'],
      outcome: 'Accord',
    });
  });

  it('mirrors what recommendations are found by into arrays a multikey index serves', () => {
    const doc = fold(events);
    expect(doc).toMatchObject({
      recIds: ['recommendation-a', 'recommendation-b'],
      recAddressees: ['Gouvernement', 'Parlement'],
      recYears: [2025, 2026],
      recTagKeys: ['UPR_RECOMMENDATION:4-148.12'],
    });
  });
});
