import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { paragraph as drawParagraph, type LineStyle as PdfLineStyle } from '@hrp/pdf-text';

/** What a certificate shows: never contact data (issue 11, item 5). */
export interface CertificateView {
  code: string;
  /** Null once the participant's data has been erased: the name line then says so. */
  participantName: string | null;
  moduleTitle: { fr: string; ar?: string };
  /** ISO dates (`YYYY-MM-DD`, or a full ISO timestamp whose date part is used). */
  sessionDates: { start: string; end: string };
  region: string;
  /** ISO timestamp; also the PDF's creation date, so that a certificate renders the same twice. */
  issuedAt: string;
  verificationUrl: string;
  issuer: { fr: string; ar: string };
}

/** The public URL that verifies a certificate; it is also the QR code's payload. */
export function verificationUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/certificates/verify/${encodeURIComponent(code)}`;
}

/**
 * Options handed to pngjs through qrcode: an 8-bit grayscale image without alpha (pdfkit embeds
 * it as it is, with no soft mask) and no per-row filter search, which costs far more than it
 * saves on a black-and-white image.
 */
const PNG_OPTIONS = { colorType: 0, filterType: 0, deflateLevel: 9 };

/** Side of the printed QR code in points (≈ 53 mm): comfortably scannable from paper. */
export const QR_SIZE_PT = 150;

/**
 * One A4 landscape page: a French block (left to right) and an Arabic block (right to left),
 * the participant's name, the module, the dates and region, the code and a QR code of the
 * verification URL. Fonts come from node_modules (IBM Plex Sans Arabic): no network.
 */
export async function renderCertificatePdf(c: CertificateView): Promise<Buffer> {
  const qr = await QRCode.toBuffer(c.verificationUrl, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 4,
    scale: 8,
    rendererOpts: PNG_OPTIONS,
  });
  const issued = new Date(c.issuedAt);
  if (Number.isNaN(issued.getTime())) throw new RangeError(`issuedAt is not a date: ${c.issuedAt}`);

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    info: {
      Title: `Certificat de formation / شهادة تكوين — ${c.code}`,
      Author: c.issuer.fr,
      Subject: c.moduleTitle.fr,
      Producer: 'HRP',
      Creator: 'HRP training',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, require.resolve(file));
  layout(doc, c, qr);
  doc.end();
  return done;
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/**
 * IBM Plex Sans Arabic covers Latin (French accents, ’, «») and Arabic. Unlike Noto Naskh/Sans
 * Arabic, which draw dots as separate marks over shared dotless shapes, each of its shaped
 * glyphs stands for one letter, so the PDF's ToUnicode map lets a reader copy the Arabic text.
 */
const FONT_FILES = {
  regular: '@expo-google-fonts/ibm-plex-sans-arabic/400Regular/IBMPlexSansArabic_400Regular.ttf',
  bold: '@expo-google-fonts/ibm-plex-sans-arabic/700Bold/IBMPlexSansArabic_700Bold.ttf',
} as const;

const INK = '#1f2a44';
const ACCENT = '#8a6d1d';
const ERASED = { fr: '— (données personnelles effacées)', ar: '— (بيانات شخصية ممحوة)' };

type Doc = PDFKit.PDFDocument;

function layout(doc: Doc, c: CertificateView, qr: Buffer): void {
  const W = doc.page.width; // 841.89
  const H = doc.page.height; // 595.28
  doc
    .lineWidth(3)
    .strokeColor(ACCENT)
    .rect(18, 18, W - 36, H - 36)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(26, 26, W - 52, H - 52)
    .stroke();
  doc
    .lineWidth(0.5)
    .moveTo(W / 2, 70)
    .lineTo(W / 2, 380)
    .stroke();

  const col = 340;
  const left = 50;
  const right = W - 50;
  const from = parseDate(c.sessionDates.start);
  const to = parseDate(c.sessionDates.end);
  const on = parseDate(c.issuedAt);

  // French block, left to right.
  let y = 60;
  const fr = (text: string, size: number, bold = false, gap = 8): void => {
    y = paragraph(doc, text, { dir: 'ltr', edge: left, width: col, y, size, bold, color: bold ? INK : '#333333' }) + gap;
  };
  fr('CERTIFICAT DE FORMATION', 22, true, 14);
  fr('Nous certifions que', 12);
  fr(c.participantName ?? ERASED.fr, 18, true);
  fr('a suivi la formation', 12);
  fr(c.moduleTitle.fr, 15, true);
  fr(`du ${frenchDate(from)} au ${frenchDate(to)}`, 12, false, 4);
  fr(`Région : ${c.region}`, 12, false, 4);
  fr(`Délivré le ${frenchDate(on)} par ${c.issuer.fr}`, 11);

  // Arabic block, right to left.
  y = 60;
  const ar = (text: string, size: number, bold = false, gap = 8): void => {
    y = paragraph(doc, text, { dir: 'rtl', edge: right, width: col, y, size, bold, color: bold ? INK : '#333333' }) + gap;
  };
  ar('شهادة تكوين', 24, true, 10);
  ar('نشهد بمشاركة', 13);
  ar(c.participantName ?? ERASED.ar, 18, true);
  ar('في الدورة التكوينية', 13);
  ar(c.moduleTitle.ar ?? c.moduleTitle.fr, 15, true);
  ar(`من ${arabicDate(from)} إلى ${arabicDate(to)}`, 13, false, 4);
  ar(`الجهة: ${c.region}`, 13, false, 4);
  ar(`سلمت بتاريخ ${arabicDate(on)} من طرف ${c.issuer.ar}`, 12);

  // Verification: QR code in the middle, the code and the URL under it.
  const qrY = 395;
  doc.image(qr, (W - QR_SIZE_PT) / 2, qrY, { width: QR_SIZE_PT, height: QR_SIZE_PT });
  paragraph(doc, `Code de vérification : ${c.code}`, {
    dir: 'ltr',
    edge: left,
    width: (W - QR_SIZE_PT) / 2 - left - 20,
    y: qrY + 40,
    size: 11,
    bold: true,
    color: INK,
  });
  paragraph(doc, c.verificationUrl, {
    dir: 'ltr',
    edge: left,
    width: (W - QR_SIZE_PT) / 2 - left - 20,
    y: qrY + 60,
    size: 8,
    bold: false,
    color: '#555555',
  });
  paragraph(doc, `رمز التحقق: ${c.code}`, {
    dir: 'rtl',
    edge: right,
    width: (W - QR_SIZE_PT) / 2 - left - 20,
    y: qrY + 40,
    size: 12,
    bold: true,
    color: INK,
  });
  paragraph(doc, 'امسح الرمز للتحقق من صحة هذه الشهادة', {
    dir: 'rtl',
    edge: right,
    width: (W - QR_SIZE_PT) / 2 - left - 20,
    y: qrY + 62,
    size: 10,
    bold: false,
    color: '#555555',
  });
}

// ---------------------------------------------------------------------------------------------
// Mixed-script lines: libs/pdf-text (direction runs, each right-to-left word placed on its own)
// ---------------------------------------------------------------------------------------------

type LineStyle = Omit<PdfLineStyle, 'fonts'>;
const FONTS = { regular: 'regular', bold: 'bold' };

function paragraph(doc: Doc, text: string, s: LineStyle): number {
  return drawParagraph(doc, text, { ...s, fonts: FONTS });
}

// ---------------------------------------------------------------------------------------------
// Dates, written the same whatever the machine's locale data
// ---------------------------------------------------------------------------------------------

const FR_MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
/** Month names as used in Morocco. */
const AR_MONTHS = ['يناير', 'فبراير', 'مارس', 'أبريل', 'ماي', 'يونيو', 'يوليوز', 'غشت', 'شتنبر', 'أكتوبر', 'نونبر', 'دجنبر'];

type DayOf = { y: number; m: number; d: number } | string;

function parseDate(iso: string): DayOf {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : iso;
}

function frenchDate(d: DayOf): string {
  return typeof d === 'string' ? d : `${d.d === 1 ? '1er' : d.d} ${FR_MONTHS[d.m - 1]} ${d.y}`;
}

function arabicDate(d: DayOf): string {
  return typeof d === 'string' ? d : `${d.d} ${AR_MONTHS[d.m - 1]} ${d.y}`;
}
