import type { StoredEvent } from '@hrp/contracts';
import { listKeys } from '@hrp/context-kit';
import { uprViewHandlers } from './upr-view.projection';

const stored = (type: string, data: unknown, position: number, time: string): StoredEvent =>
  ({ streamId: 'upr-4-148_12', streamVersion: 1, position, type, schemaVersion: 1, data, metadata: { time } }) as unknown as StoredEvent;

const imported = {
  uprId: 'upr-4-148_12',
  ref: '4-148.12',
  cycle: 4,
  session: 41,
  paragraph: '148.12',
  text: 'Ratify the Optional Protocol to the Convention against Torture',
  recommendingState: 'Denmark',
  response: 'NOTED',
  themes: ['International instruments'],
  sourceLine: 13,
};

describe('UPR view', () => {
  it('stores an imported recommendation with its list keys and import time, without its source line', () => {
    const update = uprViewHandlers.UprRecommendationImported(stored('UprRecommendationImported', imported, 70, '2023-03-30T10:00:00Z'));
    const { uprId: _id, sourceLine: _line, ...fields } = imported;
    expect(update).toEqual({
      $set: { importedPosition: 70, ...listKeys(70), ...fields, importedAt: '2023-03-30T10:00:00Z', updatedAt: '2023-03-30T10:00:00Z' },
    });
  });

  it('sets only the revised fields, and when they were revised', () => {
    const update = uprViewHandlers.UprRecommendationRevised(
      stored(
        'UprRecommendationRevised',
        { uprId: 'upr-4-148_12', ref: '4-148.12', response: 'SUPPORTED', sourceLine: 13 },
        90,
        '2025-01-02T08:00:00Z',
      ),
    );
    expect(update).toEqual({ $set: { response: 'SUPPORTED', revisedAt: '2025-01-02T08:00:00Z', updatedAt: '2025-01-02T08:00:00Z' } });
  });
});
