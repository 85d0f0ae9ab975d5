/**
 * bench:report — generating a year's synthesis report (issue 14): PDF, XLSX and CSV in each of
 * the four languages, from a model of realistic size (the 13 indicators with every breakdown: 12
 * regions, 4 quarters, sexes, age groups, 10 professions, 20 addressees, partner types,
 * programme areas; the charts' data). Baseline in the same run: the CSV in French.
 *
 *   npm run bench:report            (no servers needed)
 *   env: BENCH_ROUNDS (5)
 *
 * The report reads its figures from the reporting projections (a few documents per indicator,
 * measured by the indicators e2e); this bench measures what the rendering adds.
 */
import { INDICATORS } from '../../gateway/src/platform/reporting/catalogue';
import { renderReport } from '../../gateway/src/platform/reporting/render';
import type { ReportFormat, ReportLanguage, ReportModel } from '../../gateway/src/platform/reporting/synthesis';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REGIONS = Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`);
const PROFESSIONS = [
  'JUDICIARY',
  'HEALTH_PROFESSIONAL',
  'LAW_ENFORCEMENT',
  'TEACHER',
  'JOURNALIST',
  'CIVIL_SOCIETY',
  'LAWYER',
  'SOCIAL_WORKER',
  'PRISON_STAFF',
  'OTHER',
];
const slices = (keys: readonly string[], scale: number) => keys.map((key, i) => ({ key, value: Math.round(scale * (i + 1) * 37.3) }));
const DIMS: Record<string, readonly string[]> = {
  region: REGIONS,
  quarter: ['Q1', 'Q2', 'Q3', 'Q4'],
  sex: ['F', 'M', 'UNDISCLOSED'],
  ageGroup: ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_59', 'AGE_60_PLUS'],
  disability: ['WITH_DISABILITY', 'OTHER'],
  profession: PROFESSIONS,
  kind: ['WORKSHOP', 'CARAVAN', 'MEDIA_SPOT', 'CONFERENCE', 'FINANCIAL', 'IN_KIND'],
  partnerType: ['NGO', 'UNIVERSITY', 'INTERNATIONAL_ORGANIZATION', 'PUBLIC_INSTITUTION', 'MEDIA', 'PRIVATE_SECTOR'],
  addressee: Array.from({ length: 20 }, (_, i) => `Addressee ${i + 1}`),
  source: ['MEMORANDUM', 'UPR', 'TREATY_BODY', 'ANNUAL_REPORT'],
  programmeArea: ['AWARENESS', 'TRAINING', 'PARTNERSHIPS', 'ADVOCACY', 'OPERATIONS'],
  sourceType: ['CAMPAIGN', 'TRAINING_SESSION', 'AGREEMENT'],
};

const model: ReportModel = {
  year: 2026,
  region: null,
  generatedAt: new Date().toISOString(),
  currency: 'MAD',
  indicators: INDICATORS.map((d, i) => ({
    code: d.code,
    context:
      ({ AWR: 'campaigns', TRN: 'training', PRT: 'partnerships', ADV: 'advocacy', FIN: 'finance' } as const)[
        d.code.split('-')[0] as 'AWR'
      ] ?? 'cross',
    unit: d.unit === 'MAD_MINOR_UNITS' ? 'MONEY' : d.unit === 'MAD_MINOR_UNITS_PER_PERSON' ? 'MONEY_PER_PERSON' : (d.unit as 'PEOPLE'),
    baseline: 10 * i,
    target: 100 + 50 * i,
    value: 60 + 40 * i,
    achievement: (50 + 40 * i - 10 * i) / (100 + 40 * i),
    light: (['ON_TRACK', 'AT_RISK', 'OFF_TRACK'] as const)[i % 3],
    breakdowns: d.breakdowns.map((by) => ({ by, slices: slices(DIMS[by] ?? [], i + 1) })),
  })),
  charts: {
    reachByRegion: slices(REGIONS, 100),
    trainedByProfessionAndSex: PROFESSIONS.map((profession, i) => ({ profession, female: 20 + i * 7, male: 15 + i * 5 })),
    budgetExecutionByArea: DIMS.programmeArea.map((area, i) => ({ area, allocated: 100_000_000 * (i + 1), spent: 37_000_000 * (i + 1) })),
  },
};

async function time(format: ReportFormat, language: ReportLanguage): Promise<{ ms: number; bytes: number }> {
  await renderReport(model, format, language); // warm
  const ms: number[] = [];
  let bytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    bytes = (await renderReport(model, format, language)).body.length;
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { ms: +ms[Math.floor(ms.length / 2)].toFixed(1), bytes };
}

async function main(): Promise<void> {
  const baseline = await time('CSV', 'fr');
  const results: Record<string, unknown> = {};
  for (const format of ['CSV', 'XLSX', 'PDF'] as const)
    for (const language of ['fr', 'ar', 'en', 'zgh'] as const) {
      const r = await time(format, language);
      results[`${format} ${language}`] = { ...r, ratio: +(r.ms / baseline.ms).toFixed(1) };
    }
  console.log(JSON.stringify({ bench: 'report', rounds: ROUNDS, baseline: { what: 'CSV fr, median ms', ...baseline }, results }));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
