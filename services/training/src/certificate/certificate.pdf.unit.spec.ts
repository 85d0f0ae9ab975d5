import { execFile } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import jsQR from 'jsqr';
import { type CertificateView, QR_SIZE_PT, renderCertificatePdf, verificationUrl } from './certificate.pdf';

// The PDF is read back as a person's tools would: its text through pdf.js (pdf-parse), and its
// QR code by taking the image out of the PDF and decoding its pixels with jsQR.
//
// pdf.js is ECMAScript modules only and loads its worker with a dynamic import, which Jest's
// CommonJS module system refuses; so the text is extracted by a plain Node child process.

const CODE = 'HRP-7Q4M-X2KD-93ZA';
const NAME = 'Zineb Quessar-Taoufiki';

function certificate(overrides: Partial<CertificateView> = {}): CertificateView {
  return {
    code: CODE,
    participantName: NAME,
    moduleTitle: { fr: 'Les droits de l’enfant et la Convention relative aux droits de l’enfant', ar: 'حقوق الطفل واتفاقية حقوق الطفل' },
    sessionDates: { start: '2026-03-12', end: '2026-03-14' },
    region: 'Rabat-Salé-Kénitra',
    issuedAt: '2026-03-14T16:00:00.000Z',
    verificationUrl: verificationUrl('https://hrp.example.ma', CODE),
    issuer: { fr: 'Centre de formation HRP', ar: 'مركز التكوين' },
    ...overrides,
  };
}

const EXTRACT_TEXT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  try {
    process.stdout.write((await parser.getText()).text);
  } finally {
    await parser.destroy();
  }
});`;

function textOf(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', EXTRACT_TEXT], { encoding: 'utf8', maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      error ? reject(new Error(`pdf-parse failed: ${stderr}`, { cause: error })) : resolve(stdout),
    );
    child.stdin?.end(pdf);
  });
}

/**
 * Extracted Arabic may come as presentation forms (NFKC folds them back to letters), and a
 * reader may give a right-to-left word in visual order: a word counts as found either way.
 */
function hasArabicWord(text: string, word: string): boolean {
  const normalised = text.normalize('NFKC');
  return normalised.includes(word) || normalised.includes(Array.from(word).reverse().join(''));
}

// ---------------------------------------------------------------------------------------------
// A minimal PDF object reader: enough for the uncompressed object layout pdfkit writes.
// ---------------------------------------------------------------------------------------------

interface PdfStream {
  dict: string;
  data: Buffer;
}

function streamsOf(pdf: Buffer): PdfStream[] {
  const raw = pdf.toString('latin1');
  const out: PdfStream[] = [];
  for (const header of raw.matchAll(/\d+ 0 obj\s*<</g)) {
    const from = header.index;
    const streamAt = raw.indexOf('stream', from);
    const endobjAt = raw.indexOf('endobj', from);
    if (streamAt < 0 || (endobjAt >= 0 && endobjAt < streamAt)) continue;
    const dict = raw.slice(from, streamAt);
    const length = /\/Length (\d+)/.exec(dict);
    if (!length) continue;
    const start = streamAt + 'stream'.length + (raw[streamAt + 6] === '\r' ? 2 : 1);
    out.push({ dict, data: pdf.subarray(start, start + Number(length[1])) });
  }
  return out;
}

/** An image's /DecodeParms dictionary, written inline or as a reference to another object. */
function decodeParms(pdf: Buffer, dict: string): string {
  const inline = /\/DecodeParms\s*(<<[\s\S]*?>>)/.exec(dict);
  if (inline) return inline[1];
  const ref = /\/DecodeParms (\d+) 0 R/.exec(dict);
  if (!ref) return '';
  const raw = pdf.toString('latin1');
  const at = raw.search(new RegExp(`(^|\\s)${ref[1]} 0 obj\\b`));
  return at < 0 ? '' : raw.slice(at, raw.indexOf('endobj', at));
}

function decoded(s: PdfStream): Buffer {
  return /\/Filter \/FlateDecode/.test(s.dict) ? inflateSync(s.data) : s.data;
}

/** Undoes PNG row filters (PDF /Predictor >= 10), for images embedded with their IDAT data. */
function unpredict(data: Buffer, rowBytes: number, bpp: number): Buffer {
  const rows = data.length / (rowBytes + 1);
  const out = Buffer.alloc(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const filter = data[r * (rowBytes + 1)];
    for (let i = 0; i < rowBytes; i++) {
      const x = data[r * (rowBytes + 1) + 1 + i];
      const a = i >= bpp ? out[r * rowBytes + i - bpp] : 0;
      const b = r > 0 ? out[(r - 1) * rowBytes + i] : 0;
      const c = i >= bpp && r > 0 ? out[(r - 1) * rowBytes + i - bpp] : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter];
      out[r * rowBytes + i] = (x + predicted) & 0xff;
    }
  }
  return out;
}

/** The page's colour images as RGBA pixels (the soft mask of a PNG's alpha is left aside). */
function imagesOf(pdf: Buffer): { width: number; height: number; rgba: Uint8ClampedArray }[] {
  return streamsOf(pdf)
    .filter((s) => /\/Subtype \/Image/.test(s.dict) && /\/ColorSpace \/Device(RGB|Gray)/.test(s.dict))
    .filter((s) => !streamsOf(pdf).some((other) => new RegExp(`/SMask ${/^(\d+) 0 obj/.exec(s.dict)?.[1]} 0 R`).test(other.dict)))
    .map((s) => {
      const width = Number(/\/Width (\d+)/.exec(s.dict)?.[1]);
      const height = Number(/\/Height (\d+)/.exec(s.dict)?.[1]);
      expect(/\/BitsPerComponent 8/.test(s.dict)).toBe(true);
      const channels = /DeviceRGB/.test(s.dict) ? 3 : 1;
      const parms = decodeParms(pdf, s.dict);
      let pixels = decoded(s);
      if (/\/Predictor 1\d/.test(parms)) pixels = unpredict(pixels, width * channels, channels);
      const rgba = new Uint8ClampedArray(width * height * 4);
      for (let i = 0; i < width * height; i++) {
        for (let k = 0; k < 3; k++) rgba[i * 4 + k] = pixels[i * channels + (channels === 3 ? k : 0)];
        rgba[i * 4 + 3] = 255;
      }
      return { width, height, rgba };
    });
}

/** Sizes (in points) at which the page content paints image XObjects (`w 0 0 h x y cm /I Do`). */
function paintedImageSizes(pdf: Buffer): { width: number; height: number }[] {
  const contents = streamsOf(pdf)
    .filter((s) => !/\/Subtype/.test(s.dict) && !/\/Length1/.test(s.dict))
    .map((s) => decoded(s).toString('latin1'));
  return contents.flatMap((c) =>
    Array.from(c.matchAll(/(-?[\d.]+) 0 0 (-?[\d.]+) -?[\d.]+ -?[\d.]+ cm\s*\/I\w* Do/g), (m) => ({
      width: Math.abs(Number(m[1])),
      height: Math.abs(Number(m[2])),
    })),
  );
}

// ---------------------------------------------------------------------------------------------

describe('Certificate PDF', () => {
  describe('when rendered for a participant', () => {
    let pdf: Buffer;
    let text: string;
    beforeAll(async () => {
      pdf = await renderCertificatePdf(certificate());
      text = await textOf(pdf);
    });

    it('is one A4 landscape page', () => {
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const page = /\/Type \/Page\b[\s\S]*?\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
      expect(page && [Math.round(Number(page[1])), Math.round(Number(page[2]))]).toEqual([842, 595]);
      expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
    });

    it('reads back the French block: title, name, module, dates, region, issuer and code', () => {
      for (const expected of [
        'CERTIFICAT DE FORMATION',
        NAME,
        'Les droits de l’enfant',
        'du 12 mars 2026 au 14 mars 2026',
        'Région : Rabat-Salé-Kénitra',
        'Centre de formation HRP',
        `Code de vérification : ${CODE}`,
      ]) {
        expect(text).toContain(expected);
      }
    });

    it('reads back the Arabic block, word by word', () => {
      // Words without a lam-alef or similar ligature, whose letters a reader may give in a
      // different order; the whole of each word must be found, in logical or visual order.
      for (const word of [
        'شهادة',
        'تكوين',
        'نشهد',
        'بمشاركة',
        'الدورة',
        'التكوينية',
        'حقوق',
        'الطفل',
        'واتفاقية',
        'مارس',
        'الجهة',
        'سلمت',
        'مركز',
        'رمز',
        'التحقق',
      ]) {
        expect({ word, found: hasArabicWord(text, word) }).toEqual({ word, found: true });
      }
    });

    it('carries a QR code whose payload is exactly the verification URL', () => {
      const images = imagesOf(pdf);
      expect(images).toHaveLength(1);
      const [qr] = images;
      const decodedQr = jsQR(qr.rgba, qr.width, qr.height);
      expect(decodedQr?.data).toBe('https://hrp.example.ma/certificates/verify/HRP-7Q4M-X2KD-93ZA');
    });

    it('prints the QR code at least 120 pt wide, square', () => {
      expect(paintedImageSizes(pdf)).toEqual([{ width: QR_SIZE_PT, height: QR_SIZE_PT }]);
      expect(QR_SIZE_PT).toBeGreaterThanOrEqual(120);
    });

    it('renders the same bytes twice (creation date from issuedAt, no clock)', async () => {
      expect((await renderCertificatePdf(certificate())).equals(pdf)).toBe(true);
      expect(pdf.toString('latin1')).toContain('(D:20260314160000Z)');
    });
  });

  describe('when the module has no Arabic title', () => {
    it('shows the French title in the Arabic block too', async () => {
      const text = await textOf(await renderCertificatePdf(certificate({ moduleTitle: { fr: 'Torture et mauvais traitements' } })));
      expect(text.match(/Torture et mauvais traitements/g)).toHaveLength(2);
    });
  });

  describe('when the participant’s data was erased', () => {
    it('renders, says so on the name line and shows no trace of the former name', async () => {
      const pdf = await renderCertificatePdf(certificate({ participantName: null }));
      const text = await textOf(pdf);
      expect(text).toContain('— (données personnelles effacées)');
      expect(hasArabicWord(text, 'ممحوة')).toBe(true);
      expect(text).toContain(CODE);
      for (const fragment of ['Zineb', 'Quessar', 'Taoufiki']) {
        expect(text).not.toContain(fragment);
        expect(pdf.toString('latin1')).not.toContain(fragment);
      }
      expect(imagesOf(pdf)).toHaveLength(1);
    });
  });

  describe('verificationUrl', () => {
    it('appends the escaped code to the verification path', () => {
      expect(verificationUrl('https://hrp.example.ma', 'A/B C')).toBe('https://hrp.example.ma/certificates/verify/A%2FB%20C');
    });

    it('ignores a trailing slash of the base URL', () => {
      expect(verificationUrl('https://hrp.example.ma/', CODE)).toBe(`https://hrp.example.ma/certificates/verify/${CODE}`);
    });
  });
});
