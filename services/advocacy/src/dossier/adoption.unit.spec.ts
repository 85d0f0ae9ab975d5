import type { IssuedRecommendation } from './adoption';
import { adoptionCounts, adoptionFigures } from './adoption';

const rec = (issuedOn: string, addressee: string, status: string): IssuedRecommendation => ({ issuedOn, addressee, status });
const JUSTICE = 'Ministère de la Justice';
const PARLIAMENT = 'Chambre des représentants';

describe('adoptionFigures (ADV-01, ADV-02)', () => {
  it('counts per year of issue and addressee what was issued, decided, adopted, partially adopted and rejected', () => {
    const figures = adoptionFigures([
      rec('2025-03-10', JUSTICE, 'ADOPTED'),
      rec('2024-12-31', JUSTICE, 'REJECTED'),
      rec('2025-01-01', JUSTICE, 'PARTIALLY_ADOPTED'),
      rec('2025-06-01', JUSTICE, 'REJECTED'),
      rec('2025-07-01', JUSTICE, 'UNDER_CONSIDERATION'),
      rec('2025-02-01', PARLIAMENT, 'ISSUED'),
      rec('2025-02-02', PARLIAMENT, 'ACKNOWLEDGED'),
    ]);
    expect(figures).toEqual([
      { year: 2024, addressee: JUSTICE, issued: 1, decided: 1, adopted: 0, partiallyAdopted: 0, rejected: 1, adoptionRate: 0 },
      { year: 2025, addressee: PARLIAMENT, issued: 2, decided: 0, adopted: 0, partiallyAdopted: 0, rejected: 0, adoptionRate: null },
      { year: 2025, addressee: JUSTICE, issued: 4, decided: 3, adopted: 1, partiallyAdopted: 1, rejected: 1, adoptionRate: 2 / 3 },
    ]);
  });

  it('counts a partial adoption as adopted in the rate, and an undecided recommendation in neither term', () => {
    expect(adoptionCounts([rec('2025-01-01', JUSTICE, 'PARTIALLY_ADOPTED'), rec('2025-01-01', JUSTICE, 'ACKNOWLEDGED')])).toEqual({
      issued: 2,
      decided: 1,
      adopted: 0,
      partiallyAdopted: 1,
      rejected: 0,
      adoptionRate: 1,
    });
  });

  it('gives a total by counting, never by averaging the rates of the groups', () => {
    const all = [
      rec('2024-05-01', JUSTICE, 'ADOPTED'),
      rec('2025-05-01', PARLIAMENT, 'REJECTED'),
      rec('2025-05-02', PARLIAMENT, 'REJECTED'),
      rec('2025-05-03', PARLIAMENT, 'REJECTED'),
    ];
    expect(adoptionCounts(all).adoptionRate).toBe(0.25);
    expect(adoptionFigures(all).map((f) => f.adoptionRate)).toEqual([1, 0]);
  });

  it('keeps addressees as written apart, and gives nothing for no recommendation', () => {
    expect(adoptionFigures([rec('2025-01-01', 'Parlement', 'ADOPTED'), rec('2025-01-01', 'parlement', 'ADOPTED')])).toHaveLength(2);
    expect(adoptionFigures([])).toEqual([]);
    expect(adoptionCounts([])).toEqual({ issued: 0, decided: 0, adopted: 0, partiallyAdopted: 0, rejected: 0, adoptionRate: null });
  });
});
