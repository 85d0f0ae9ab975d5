import PDFDocument from 'pdfkit';
import { line, paragraph, widthOf, type Fonts } from '@hrp/pdf-text';
import { INDICATOR_BY_CODE } from '../catalogue';
import type { ReportIndicator, ReportLanguage, ReportModel } from '../synthesis';
import { dimensionLabel, HEADERS, isMoney, keyLabel, LIGHTS, TITLE, UNITS } from './labels';

/*
 * The synthesis report as PDF (pdfkit, which the platform already uses for certificates): a cover,
 * the indicator table with targets and traffic lights, a page of charts (achievement per
 * indicator, reach by region, trained by profession and sex, budget execution by programme area),
 * then a page per context with its indicators and their breakdowns.
 *
 * Arabic pages mirror: columns and bars run from the right edge, text is laid out right to left by
 * libs/pdf-text. Fonts come from npm, nothing is fetched at run time: IBM Plex Sans Arabic (Latin
 * and Arabic, one glyph per letter so the text can be copied back) and Noto Sans Tifinagh for
 * Tamazight. Numbers and dates follow the language (Intl: fr-MA, ar-MA, en-GB, zgh-MA).
 */

const FONT_FILES = {
  regular: require.resolve('@expo-google-fonts/ibm-plex-sans-arabic/400Regular/IBMPlexSansArabic_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/ibm-plex-sans-arabic/700Bold/IBMPlexSansArabic_700Bold.ttf'),
  tifinagh: require.resolve('@expo-google-fonts/noto-sans-tifinagh/400Regular/NotoSansTifinagh_400Regular.ttf'),
};
const FONTS: Fonts = { regular: 'regular', bold: 'bold', tifinagh: 'tifinagh' };
const LOCALE: Record<ReportLanguage, string> = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB', zgh: 'zgh-MA' };
const LIGHT_COLOR: Record<string, string> = { ON_TRACK: '#2e7d32', AT_RISK: '#f9a825', OFF_TRACK: '#c62828', NO_TARGET: '#9e9e9e' };
const INK = '#1a2b4a';
const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const CONTEXT_TITLES: Record<string, Record<ReportLanguage, string>> = {
  campaigns: { fr: 'Sensibilisation', ar: 'التحسيس', en: 'Awareness', zgh: 'ⴰⵙⵙⵏⵖⵎⵙ' },
  training: { fr: 'Renforcement des capacités', ar: 'تعزيز القدرات', en: 'Capacity building', zgh: 'ⴰⵙⵙⵓⵊⴷ ⵏ ⵜⵥⵎⵥⵉⵜ' },
  partnerships: { fr: 'Partenariats', ar: 'الشراكات', en: 'Partnerships', zgh: 'ⵜⵉⵎⵢⴰⵏⴰⵡⵉⵏ' },
  advocacy: { fr: 'Plaidoyer', ar: 'الترافع', en: 'Advocacy', zgh: 'ⴰⵙⵓⵔⵙ' },
  finance: { fr: 'Budget et administration', ar: 'الميزانية والإدارة', en: 'Budget and administration', zgh: 'ⵜⴰⵙⵏⴰⴼⵓⵜ ⴷ ⵓⵙⵡⵓⴷⴷⵓ' },
  cross: { fr: 'Efficience', ar: 'النجاعة', en: 'Efficiency', zgh: 'ⵜⴰⵏⴼⴰⵍⵉⵜ' },
};
const CHART_TITLES: Record<string, Record<ReportLanguage, string>> = {
  achievement: { fr: 'Réalisation par indicateur', ar: 'نسبة الإنجاز حسب المؤشر', en: 'Achievement per indicator', zgh: 'ⴰⵙⵎⴷⵓ ⵙ ⵓⵏⵎⴰⵍ' },
  reach: {
    fr: 'Personnes touchées par région',
    ar: 'الأشخاص المستهدفون حسب الجهة',
    en: 'People reached by region',
    zgh: 'ⵉⵎⴷⴷⴰⵏ ⵙ ⵜⵎⵏⴰⴹⵜ',
  },
  trained: {
    fr: 'Personnes formées par profession et sexe',
    ar: 'المكوَّنون حسب المهنة والجنس',
    en: 'People trained by profession and sex',
    zgh: 'ⵉⵎⴷⴷⴰⵏ ⵉⵜⵜⵓⵙⵙⵍⵎⴷⵏ ⵙ ⵜⵡⵓⵔⵉ',
  },
  budget: {
    fr: 'Exécution budgétaire par domaine',
    ar: 'تنفيذ الميزانية حسب المجال',
    en: 'Budget execution by programme area',
    zgh: 'ⴰⵙⵙⵎⵔⵙ ⵏ ⵜⵙⵏⴰⴼⵓⵜ ⵙ ⵓⵏⵖⵍ',
  },
};

/** Formats for the language; narrow and no-break spaces drawn as spaces (not every font has them). */
function formats(language: ReportLanguage) {
  const n = new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: 2 });
  const money = new Intl.NumberFormat(LOCALE[language], { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(LOCALE[language], { style: 'percent', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'long', timeZone: 'Africa/Casablanca' });
  // Narrow and no-break spaces as spaces, and no bidi marks (Intl puts some around Arabic
  // percentages; the layout orders runs itself, and the fonts have no glyph for them).
  const plain = (s: string) => s.replace(/[\u202F\u00A0]/g, ' ').replace(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '');
  return {
    value: (unit: string, v: number | null) => (v === null ? '—' : plain(isMoney(unit) ? money.format(v / 100) : n.format(v))),
    percent: (v: number | null) => (v === null ? '—' : plain(pct.format(v))),
    date: (iso: string) => plain(date.format(new Date(iso))),
    number: (v: number) => plain(n.format(v)),
  };
}

export async function renderPdf(model: ReportModel, language: ReportLanguage): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    info: { Title: `${TITLE[language]} ${model.year}`, Author: 'HRP' },
    lang: language,
  });
  doc.registerFont('regular', FONT_FILES.regular);
  doc.registerFont('bold', FONT_FILES.bold);
  doc.registerFont('tifinagh', FONT_FILES.tifinagh);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const rtl = language === 'ar';
  const f = formats(language);
  const inner = PAGE.width - 2 * PAGE.margin;
  /** x of a box of `w` at logical offset `x` from the starting edge (mirrored for Arabic). */
  const X = (x: number, w: number) => (rtl ? PAGE.width - PAGE.margin - x - w : PAGE.margin + x);
  /** A text in a box: from its starting edge. */
  const text = (t: string, x: number, w: number, y: number, size: number, bold = false, color = INK) =>
    line(doc, t, { dir: rtl ? 'rtl' : 'ltr', edge: rtl ? X(x, w) + w : X(x, w), width: w, y, size, bold, color, fonts: FONTS });
  const heading = (t: string, y: number, size = 16) => text(t, 0, inner, y, size, true);
  const nameOf = (code: string) => INDICATOR_BY_CODE.get(code)?.name[language] ?? code;

  // ---- cover
  doc.rect(0, 0, PAGE.width, 220).fill(INK);
  line(doc, TITLE[language], {
    dir: rtl ? 'rtl' : 'ltr',
    edge: rtl ? PAGE.width - PAGE.margin : PAGE.margin,
    width: inner,
    y: 90,
    size: 22,
    bold: true,
    color: '#ffffff',
    fonts: FONTS,
  });
  text(String(model.year), 0, inner, 150, 30, true, '#ffffff');
  const scope = model.region ?? { fr: 'National', ar: 'وطني', en: 'National', zgh: 'ⴰⵏⴰⵎⵓⵔ' }[language];
  text(`${HEADERS.region[language]}: ${scope}`, 0, inner, 260, 13);
  text(f.date(model.generatedAt), 0, inner, 285, 13);
  paragraph(doc, model.indicators.map((i) => `${i.code}`).join(' · '), {
    dir: rtl ? 'rtl' : 'ltr',
    edge: rtl ? PAGE.width - PAGE.margin : PAGE.margin,
    width: inner,
    y: 330,
    size: 10,
    bold: false,
    color: '#555555',
    fonts: FONTS,
  });

  // ---- indicator table
  doc.addPage();
  heading(HEADERS.indicator[language], PAGE.margin);
  const cols: [string, number][] = [
    ['code', 48],
    ['indicator', 175],
    ['value', 70],
    ['target', 70],
    ['achievement', 66],
    ['light', 70],
  ];
  let y = PAGE.margin + 36;
  let x = 0;
  for (const [key, w] of cols) {
    text(HEADERS[key][language], x, w, y, 9, true);
    x += w;
  }
  y += 18;
  doc
    .moveTo(PAGE.margin, y - 4)
    .lineTo(PAGE.width - PAGE.margin, y - 4)
    .strokeColor('#cccccc')
    .stroke();
  for (const i of model.indicators) {
    const cells = [
      i.code,
      nameOf(i.code),
      f.value(i.unit, i.value),
      f.value(i.unit, i.target),
      f.percent(i.achievement),
      LIGHTS[i.light][language],
    ];
    const nameRows = Math.max(1, Math.ceil(widthOf(doc, cells[1], { size: 9, bold: false, fonts: FONTS }) / (cols[1][1] - 6)));
    x = 0;
    cells.forEach((c, k) => {
      const w = cols[k][1];
      if (k === 1)
        paragraph(doc, c, {
          dir: rtl ? 'rtl' : 'ltr',
          edge: rtl ? X(x, w) + w : X(x, w),
          width: w - 6,
          y,
          size: 9,
          bold: false,
          color: INK,
          fonts: FONTS,
        });
      else if (k === 5) {
        const dotX = rtl ? X(x, w) + w - 6 : X(x, w) + 4;
        doc.circle(dotX, y + 6, 4).fill(LIGHT_COLOR[i.light]);
        text(c, x + 12, w - 12, y, 9);
      } else text(c, x, w - 4, y, 9, k === 2);
      x += w;
    });
    y += Math.max(18, nameRows * 13 + 6);
  }
  text(
    `${HEADERS.unit[language]}: ${model.indicators.map((i) => `${i.code} ${UNITS[i.unit]?.[language] ?? ''}`).join(' · ')}`,
    0,
    inner,
    y + 10,
    7,
    false,
    '#777777',
  );

  // ---- charts
  doc.addPage();
  const bars = (
    title: string,
    top: number,
    items: { label: string; values: { v: number; color: string }[]; caption: string }[],
    max: number,
  ) => {
    heading(title, top, 12);
    const labelW = 110;
    const barW = inner - labelW - 80;
    let yy = top + 22;
    for (const item of items) {
      text(item.label, 0, labelW - 6, yy, 8);
      let offset = 0;
      for (const { v, color } of item.values) {
        const w = max > 0 ? Math.max(0, (v / max) * barW) : 0;
        doc.rect(X(labelW, 0) - (rtl ? w : 0), yy + 1 + offset, w, 5).fill(color);
        offset += 6;
      }
      text(item.caption, labelW + barW + 6, 74, yy, 8);
      yy += Math.max(13, 6 * item.values.length + 4);
    }
    return yy + 12;
  };
  let top = PAGE.margin;
  top = bars(
    CHART_TITLES.achievement[language],
    top,
    model.indicators
      .filter((i) => i.achievement !== null)
      .map((i) => ({
        label: i.code,
        values: [{ v: Math.max(0, Math.min(1.5, i.achievement!)), color: LIGHT_COLOR[i.light] }],
        caption: f.percent(i.achievement),
      })),
    1.5,
  );
  const reachMax = Math.max(0, ...model.charts.reachByRegion.map((s) => s.value));
  top = bars(
    CHART_TITLES.reach[language],
    top,
    model.charts.reachByRegion.map((s) => ({ label: s.key, values: [{ v: s.value, color: '#1565c0' }], caption: f.number(s.value) })),
    reachMax,
  );
  const trainedMax = Math.max(0, ...model.charts.trainedByProfessionAndSex.flatMap((r) => [r.female, r.male]));
  top = bars(
    CHART_TITLES.trained[language],
    top,
    model.charts.trainedByProfessionAndSex.map((r) => ({
      label: keyLabel(r.profession, language),
      values: [
        { v: r.female, color: '#8e24aa' },
        { v: r.male, color: '#00897b' },
      ],
      caption: `${HEADERS.female[language]} ${f.number(r.female)} · ${HEADERS.male[language]} ${f.number(r.male)}`,
    })),
    trainedMax,
  );
  const budgetMax = Math.max(0, ...model.charts.budgetExecutionByArea.map((r) => r.allocated));
  bars(
    CHART_TITLES.budget[language],
    top,
    model.charts.budgetExecutionByArea.map((r) => ({
      label: keyLabel(r.area, language),
      values: [
        { v: r.allocated, color: '#b0bec5' },
        { v: r.spent, color: '#ef6c00' },
      ],
      caption: f.value('MONEY', r.spent),
    })),
    budgetMax,
  );

  // ---- a page per context
  const byContext = new Map<string, ReportIndicator[]>();
  for (const i of model.indicators) byContext.set(i.context, [...(byContext.get(i.context) ?? []), i]);
  for (const [context, indicators] of byContext) {
    doc.addPage();
    heading(CONTEXT_TITLES[context]?.[language] ?? context, PAGE.margin);
    y = PAGE.margin + 34;
    for (const i of indicators) {
      if (y > PAGE.height - 120) {
        doc.addPage();
        y = PAGE.margin;
      }
      y = paragraph(doc, `${i.code} — ${nameOf(i.code)}: ${f.value(i.unit, i.value)} ${UNITS[i.unit]?.[language] ?? ''}`, {
        dir: rtl ? 'rtl' : 'ltr',
        edge: rtl ? PAGE.width - PAGE.margin : PAGE.margin,
        width: inner,
        y,
        size: 11,
        bold: true,
        color: INK,
        fonts: FONTS,
      });
      for (const b of i.breakdowns) {
        if (b.slices.length === 0) continue;
        const entries = b.slices.map((s) => `${keyLabel(s.key, language)}: ${f.value(i.unit, s.value)}`).join(' · ');
        y = paragraph(doc, `${dimensionLabel(b.by, language)} — ${entries}`, {
          dir: rtl ? 'rtl' : 'ltr',
          edge: rtl ? PAGE.width - PAGE.margin - 12 : PAGE.margin + 12,
          width: inner - 12,
          y,
          size: 8.5,
          bold: false,
          color: '#444444',
          fonts: FONTS,
        });
        if (y > PAGE.height - 80) {
          doc.addPage();
          y = PAGE.margin;
        }
      }
      y += 8;
    }
  }
  doc.end();
  return done;
}
