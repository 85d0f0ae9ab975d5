import type { Agreement, AgreementEvent, AgreementState } from './agreement.events';
import { evolve, initialState } from './agreement.events';
import { agreementsExpiringWithin, daysUntil, noticesDue } from './agreement.expiry';

const drafted = (agreementId: string, end: string): AgreementEvent => ({
  type: 'AgreementDrafted',
  data: {
    agreementId,
    partnerId: 'partner-1',
    title: { fr: 'Convention' },
    scope: { fr: 'Portée' },
    period: { start: '2025-01-01', end },
    commitments: { ours: [], theirs: [] },
    contributions: [],
    tags: [],
  },
});
const on = (agreementId: string) => ({ agreementId });
const stateOf = (events: AgreementEvent[]): AgreementState => events.reduce(evolve, initialState());
const active = (id: string, end: string, ...more: AgreementEvent[]): AgreementState =>
  stateOf([
    drafted(id, end),
    { type: 'AgreementNegotiationStarted', data: on(id) },
    { type: 'AgreementSigned', data: { ...on(id), signedOn: '2024-12-01' } },
    { type: 'AgreementActivated', data: { ...on(id), activatedOn: '2025-01-01' } },
    ...more,
  ]);

describe('Agreement follow-up', () => {
  describe('daysUntil', () => {
    it('counts calendar days, 0 on the last day, negative after it, across months and leap days', () => {
      expect(daysUntil('2025-12-31', '2025-11-01')).toBe(60);
      expect(daysUntil('2025-12-31', '2025-12-31')).toBe(0);
      expect(daysUntil('2025-12-31', '2026-01-01')).toBe(-1);
      expect(daysUntil('2024-03-01', '2024-02-28')).toBe(2);
    });
  });

  describe('noticesDue', () => {
    it('is due from the threshold day on, largest first, minus what was noticed', () => {
      expect(noticesDue(active('agreement-a', '2025-12-31'), '2025-10-31')).toEqual({ thresholds: [], expired: false });
      expect(noticesDue(active('agreement-a', '2025-12-31'), '2025-12-26')).toEqual({ thresholds: [60, 30, 7], expired: false });
      const noticed = active('agreement-a', '2025-12-31', {
        type: 'AgreementExpiring',
        data: { ...on('agreement-a'), threshold: 60, endDate: '2025-12-31', noticedOn: '2025-11-01' },
      });
      expect(noticesDue(noticed, '2025-12-26')).toEqual({ thresholds: [30, 7], expired: false });
      expect(noticesDue(noticed, '2026-01-01')).toEqual({ thresholds: [30, 7], expired: true });
    });

    it('owes nothing to an agreement not in force or closed', () => {
      expect(noticesDue(initialState(), '2026-01-01')).toEqual({ thresholds: [], expired: false });
      expect(noticesDue(stateOf([drafted('agreement-d', '2025-12-31')]), '2026-01-01')).toEqual({ thresholds: [], expired: false });
      const terminated = active('agreement-t', '2025-12-31', {
        type: 'AgreementTerminated',
        data: { ...on('agreement-t'), reason: 'Fin' },
      });
      expect(noticesDue(terminated, '2026-01-01')).toEqual({ thresholds: [], expired: false });
    });
  });

  describe('agreementsExpiringWithin', () => {
    const states = [
      active('agreement-late', '2025-12-20'),
      active('agreement-soon', '2025-11-15'),
      active('agreement-far', '2026-06-30'),
      active('agreement-today', '2025-11-01'),
      active('agreement-past', '2025-10-31'),
      stateOf([drafted('agreement-draft', '2025-11-10')]),
    ] as Agreement[];

    it('lists the agreements in force ending within the days, today included, soonest first', () => {
      const ids = agreementsExpiringWithin(states, '2025-11-01', 60).map((s) => s.id);
      expect(ids).toEqual(['agreement-today', 'agreement-soon', 'agreement-late']);
    });

    it('works on any view with a status and a period end', () => {
      const views = [
        { id: 'x', status: 'SIGNED', period: { end: '2025-11-08' } },
        { id: 'y', status: 'EXPIRED', period: { end: '2025-11-08' } },
      ];
      expect(agreementsExpiringWithin(views, '2025-11-01', 7).map((v) => v.id)).toEqual(['x']);
      expect(agreementsExpiringWithin(views, '2025-11-01', 6)).toEqual([]);
    });
  });
});
