/** The 12 regions (ISO 3166-2:MA codes as the platform records them). */
export const REGIONS = [
  'MA-01',
  'MA-02',
  'MA-03',
  'MA-04',
  'MA-05',
  'MA-06',
  'MA-07',
  'MA-08',
  'MA-09',
  'MA-10',
  'MA-11',
  'MA-12',
] as const;

/**
 * A tile map of the 12 regions: each region a tile placed roughly where it lies, north at the
 * top (a schematic, not a survey map; no boundary data is shipped). Row and column of a 5×4 grid.
 */
export const REGION_TILES: readonly { code: string; name: string; row: number; col: number }[] = [
  { code: 'MA-01', name: 'Tanger-Tétouan-Al Hoceïma', row: 1, col: 3 },
  { code: 'MA-02', name: 'Oriental', row: 1, col: 4 },
  { code: 'MA-03', name: 'Fès-Meknès', row: 2, col: 4 },
  { code: 'MA-04', name: 'Rabat-Salé-Kénitra', row: 2, col: 3 },
  { code: 'MA-05', name: 'Béni Mellal-Khénifra', row: 3, col: 3 },
  { code: 'MA-06', name: 'Casablanca-Settat', row: 2, col: 2 },
  { code: 'MA-07', name: 'Marrakech-Safi', row: 3, col: 2 },
  { code: 'MA-08', name: 'Drâa-Tafilalet', row: 3, col: 4 },
  { code: 'MA-09', name: 'Souss-Massa', row: 4, col: 2 },
  { code: 'MA-10', name: 'Guelmim-Oued Noun', row: 4, col: 1 },
  { code: 'MA-11', name: 'Laâyoune-Sakia El Hamra', row: 5, col: 1 },
  { code: 'MA-12', name: 'Dakhla-Oued Ed-Dahab', row: 6, col: 1 },
];
