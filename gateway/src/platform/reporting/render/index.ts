import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { INDICATOR_BY_CODE } from '../catalogue';
import type { ReportFormat, ReportLanguage, ReportModel } from '../synthesis';
import { dimensionLabel, HEADERS, isMoney, keyLabel, LIGHTS, TITLE, UNITS } from './labels';
import { renderPdf } from './pdf';

/*
 * The synthesis report's files, by well-kept libraries: csv-stringify (the CSV half of the csv
 * project whose parser the platform already uses for the UPR import: RFC 4180 quoting, a BOM
 * option) and ExcelJS (the most used XLSX writer on npm, MIT, streams, number formats and
 * right-to-left sheets); the PDF by pdfkit (render/pdf.ts).
 */

export interface RenderedReport {
  filename: string;
  mimeType: string;
  body: Buffer;
}

const nameOf = (code: string, language: ReportLanguage) => INDICATOR_BY_CODE.get(code)?.name[language] ?? code;

/** The file name: the year, the scope and the language, e.g. `hrp-synthesis-2026-national-ar.csv`. */
function filenameOf(model: ReportModel, language: ReportLanguage, ext: string): string {
  return `hrp-synthesis-${model.year}-${model.region ?? 'national'}-${language}.${ext}`;
}

/**
 * CSV: one row per indicator, then one per slice of each breakdown; the header holds stable column
 * ids (a CSV is for machines: a spreadsheet, a script), the `name` column the indicator's name in
 * the language. UTF-8 with a BOM, so that a spreadsheet opens Arabic and Tifinagh right. Money in
 * integer minor units, as the API gives it (`unit` says so).
 */
export function renderCsv(model: ReportModel, language: ReportLanguage): RenderedReport {
  const rows: Record<string, string | number | null>[] = [];
  for (const i of model.indicators) {
    const unit = isMoney(i.unit) ? `${i.unit}_MINOR_UNITS` : i.unit;
    const base = { year: model.year, region: model.region ?? 'NATIONAL', code: i.code, name: nameOf(i.code, language), unit };
    rows.push({
      ...base,
      breakdown: null,
      key: null,
      value: i.value,
      baseline: i.baseline,
      target: i.target,
      achievement: i.achievement,
      light: i.light,
    });
    for (const b of i.breakdowns)
      for (const s of b.slices)
        rows.push({ ...base, breakdown: b.by, key: s.key, value: s.value, baseline: null, target: null, achievement: null, light: null });
  }
  const body = stringify(rows, {
    bom: true,
    header: true,
    columns: ['year', 'region', 'code', 'name', 'unit', 'breakdown', 'key', 'value', 'baseline', 'target', 'achievement', 'light'],
  });
  return { filename: filenameOf(model, language, 'csv'), mimeType: 'text/csv; charset=utf-8', body: Buffer.from(body, 'utf8') };
}

/**
 * XLSX: the indicator table (names, units and statuses in the language; numbers as numbers, money
 * in MAD with two decimals, achievement as a percentage), the breakdowns, and the charts' data.
 * Arabic sheets are right to left.
 */
export async function renderXlsx(model: ReportModel, language: ReportLanguage): Promise<RenderedReport> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'HRP';
  wb.created = new Date(model.generatedAt);
  wb.title = `${TITLE[language]} ${model.year}`;
  const rtl = language === 'ar';
  const sheet = (name: string) => wb.addWorksheet(name, { views: [{ rightToLeft: rtl, state: 'frozen', ySplit: 1 }] });
  const h = (k: string) => HEADERS[k][language];
  const money = (unit: string, v: number | null) => (v === null ? null : isMoney(unit) ? v / 100 : v);

  const table = sheet('indicators');
  table.columns = [
    { header: h('code'), key: 'code', width: 10 },
    { header: h('indicator'), key: 'name', width: 48 },
    { header: h('unit'), key: 'unit', width: 18 },
    { header: h('baseline'), key: 'baseline', width: 14 },
    { header: h('target'), key: 'target', width: 14 },
    { header: h('value'), key: 'value', width: 16 },
    { header: h('achievement'), key: 'achievement', width: 14 },
    { header: h('light'), key: 'light', width: 18 },
  ];
  for (const i of model.indicators) {
    const row = table.addRow({
      code: i.code,
      name: nameOf(i.code, language),
      unit: UNITS[i.unit]?.[language] ?? i.unit,
      baseline: money(i.unit, i.baseline),
      target: money(i.unit, i.target),
      value: money(i.unit, i.value),
      achievement: i.achievement,
      light: LIGHTS[i.light][language],
    });
    const numFmt = isMoney(i.unit) ? '#,##0.00' : i.unit === 'PERCENT' || i.unit === 'POINTS' ? '0.00' : '#,##0';
    for (const k of ['baseline', 'target', 'value']) row.getCell(k).numFmt = numFmt;
    row.getCell('achievement').numFmt = '0.0%';
  }
  table.getRow(1).font = { bold: true };

  const breakdowns = sheet('breakdowns');
  breakdowns.columns = [
    { header: h('code'), key: 'code', width: 10 },
    { header: h('indicator'), key: 'name', width: 40 },
    { header: h('breakdown'), key: 'dimension', width: 18 },
    { header: h('key'), key: 'label', width: 28 },
    { header: h('value'), key: 'value', width: 16 },
    // The codes, for whoever filters or joins on them.
    { header: 'by', key: 'by', width: 14 },
    { header: 'key', key: 'key', width: 24 },
  ];
  for (const i of model.indicators)
    for (const b of i.breakdowns)
      for (const s of b.slices)
        breakdowns.addRow({
          code: i.code,
          name: nameOf(i.code, language),
          dimension: dimensionLabel(b.by, language),
          label: keyLabel(s.key, language),
          value: money(i.unit, s.value),
          by: b.by,
          key: s.key,
        });
  breakdowns.getRow(1).font = { bold: true };

  const reach = sheet('reach-by-region');
  reach.columns = [
    { header: h('region'), key: 'key', width: 12 },
    { header: h('reach'), key: 'value', width: 20 },
  ];
  for (const s of model.charts.reachByRegion) reach.addRow(s);
  const trained = sheet('trained');
  trained.columns = [
    { header: h('profession'), key: 'label', width: 28 },
    { header: h('female'), key: 'female', width: 12 },
    { header: h('male'), key: 'male', width: 12 },
    { header: 'profession', key: 'profession', width: 22 },
  ];
  for (const r of model.charts.trainedByProfessionAndSex) trained.addRow({ ...r, label: keyLabel(r.profession, language) });
  const budget = sheet('budget-execution');
  budget.columns = [
    { header: h('area'), key: 'label', width: 18 },
    { header: h('allocated'), key: 'allocated', width: 20 },
    { header: h('spent'), key: 'spent', width: 20 },
    { header: 'area', key: 'area', width: 16 },
  ];
  for (const r of model.charts.budgetExecutionByArea) {
    const row = budget.addRow({ label: keyLabel(r.area, language), allocated: r.allocated / 100, spent: r.spent / 100, area: r.area });
    row.getCell('allocated').numFmt = '#,##0.00';
    row.getCell('spent').numFmt = '#,##0.00';
  }
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    filename: filenameOf(model, language, 'xlsx'),
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
  };
}

export async function renderReport(model: ReportModel, format: ReportFormat, language: ReportLanguage): Promise<RenderedReport> {
  if (format === 'CSV') return renderCsv(model, language);
  if (format === 'XLSX') return renderXlsx(model, language);
  return { filename: filenameOf(model, language, 'pdf'), mimeType: 'application/pdf', body: await renderPdf(model, language) };
}
