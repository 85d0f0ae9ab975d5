import type { StoredEvent } from '@hrp/contracts';
import {
  auditEntryOf,
  bucketDocsOf,
  decodeAuditCursor,
  encodeAuditCursor,
  entryWanted,
  overlapsPeriod,
  planAuditQuery,
  sealPersonalData,
} from './audit-entry';

const event = (over: Partial<StoredEvent> = {}): StoredEvent => ({
  streamId: 'session-1',
  streamVersion: 3,
  position: 42,
  type: 'ParticipantEnrolled',
  schemaVersion: 1,
  data: {
    participant: { keyId: 'person-9', ciphertext: 'v1.aaa.bbb.ccc' },
    sessionId: 'session-1',
    list: [{ keyId: 'p2', ciphertext: 'x' }],
  },
  metadata: {
    eventId: 'e-1',
    time: '2026-12-01T13:45:06.789+01:00',
    actor: { subject: 'sub-1', username: 'trainer' },
    correlationId: 'c-1',
    causationId: 'k-1',
  },
  ...over,
});

describe('audit trail entries', () => {
  it('keys an entry by its UTC instant, context and position, so ids sort in the trail order', () => {
    const e = auditEntryOf(event(), 'training');
    expect(e._id).toBe('2026-12-01T12:45:06.789Z|training|000000000042');
    expect(e.at).toBe('2026-12-01T12:45:06.789Z');
    expect(
      auditEntryOf(event({ position: 7, metadata: { ...event().metadata, time: '2026-12-01T12:45:06.790Z' } }), 'campaigns')._id > e._id,
    ).toBe(true);
    expect(e).toMatchObject({
      streamId: 'session-1',
      version: 3,
      subject: 'sub-1',
      username: 'trainer',
      correlationId: 'c-1',
      causationId: 'k-1',
      bAll: 'all|2026-12-01T12',
      bCtx: 'context|training|2026-12-01T12',
      bActor: 'actor|sub-1|2026-12-01',
      bType: 'type|ParticipantEnrolled|2026-12-01',
    });
  });

  it('keeps no ciphertext: sealed personal data becomes a marker naming its person', () => {
    const e = auditEntryOf(event(), 'training');
    expect(e.data).not.toContain('v1.aaa');
    expect(JSON.parse(e.data)).toEqual({
      participant: { personalData: 'sealed', personId: 'person-9' },
      sessionId: 'session-1',
      list: [{ personalData: 'sealed', personId: 'p2' }],
    });
    expect(sealPersonalData({ keyId: 'only-a-key' })).toEqual({ keyId: 'only-a-key' });
  });

  it('lists the months and buckets of each kind, and the subject of the username', () => {
    const ids = bucketDocsOf(auditEntryOf(event(), 'training')).map((d) => `${d.k} → ${d.b}`);
    expect(ids).toEqual([
      'all → 2026-12',
      'all|2026-12 → 2026-12-01T12',
      'context|training → 2026-12',
      'context|training|2026-12 → 2026-12-01T12',
      'actor|sub-1 → 2026-12',
      'actor|sub-1|2026-12 → 2026-12-01',
      'type|ParticipantEnrolled → 2026-12',
      'type|ParticipantEnrolled|2026-12 → 2026-12-01',
      'username|trainer → sub-1',
    ]);
  });

  it('reads by the most selective filter, the others as equalities beside it', () => {
    expect(planAuditQuery({ streamId: 's', eventType: 'T' })).toEqual({ by: 'stream', where: { type: 'T', streamId: 's' } });
    expect(planAuditQuery({ actor: 'bob', eventType: 'T', context: 'c' }, ['sub-b'])).toEqual({
      by: 'actor',
      values: ['sub-b'],
      where: { type: 'T', context: 'c' },
    });
    expect(planAuditQuery({ eventType: 'T', context: 'c' })).toEqual({ by: 'type', values: ['T'], where: { context: 'c' } });
    expect(planAuditQuery({ context: 'c' })).toEqual({ by: 'context', values: ['c'], where: {} });
    expect(planAuditQuery({})).toEqual({ by: 'all', values: [null], where: {} });
  });

  it('reads only the months and buckets that overlap the period', () => {
    const from = '2026-12-01T10:00:00.000Z';
    const to = '2026-12-03T00:00:00.000Z';
    expect(overlapsPeriod('2026-11', from, to)).toBe(false);
    expect(overlapsPeriod('2026-12', from, to)).toBe(true);
    expect(overlapsPeriod('2026-11-30', from, to)).toBe(false);
    expect(overlapsPeriod('2026-12-01', from, to)).toBe(true);
    expect(overlapsPeriod('2026-12-01T09', from, to)).toBe(false);
    expect(overlapsPeriod('2026-12-01T10', from, to)).toBe(true);
    expect(overlapsPeriod('2026-12-03', from, to)).toBe(true);
    expect(overlapsPeriod('2026-12-04', from, to)).toBe(false);
    expect(overlapsPeriod('2027-01', from, null)).toBe(true);
  });

  it('keeps the entries of the period after the cursor, in either order', () => {
    const e = { _id: '2026-12-01T12:00:00.000Z|x|1', at: '2026-12-01T12:00:00.000Z' };
    expect(entryWanted(e, { from: '2026-12-01T12:00:00.000Z' }, null)).toBe(true);
    expect(entryWanted(e, { to: '2026-12-01T12:00:00.000Z' }, null)).toBe(false);
    expect(entryWanted(e, {}, e._id)).toBe(false);
    expect(entryWanted(e, {}, '2026-12-01T11:00:00.000Z|x|1')).toBe(true);
    expect(entryWanted(e, { newestFirst: true }, '2026-12-01T11:00:00.000Z|x|1')).toBe(false);
    expect(entryWanted(e, { newestFirst: true }, '2026-12-01T13:00:00.000Z|x|1')).toBe(true);
  });

  it('round-trips cursors and refuses what is not one', () => {
    expect(decodeAuditCursor(encodeAuditCursor('2026|x|1'))).toBe('2026|x|1');
    expect(decodeAuditCursor('bm90LWEtY3Vyc29y')).toBeNull();
  });
});
