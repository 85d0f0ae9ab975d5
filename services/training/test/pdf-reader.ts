import { inflateSync } from 'node:zlib';
import jsQR from 'jsqr';

/*
 * Reads a PDF back as a person's tools would (test utility): its text through pdf.js (pdf-parse),
 * and its QR code by taking the image out of the PDF and decoding its pixels with jsQR.
 *
 * pdf.js is ECMAScript modules only and loads its worker with a dynamic import, which Jest's
 * CommonJS module system refuses; so the text is extracted by a plain Node child process.
 */

/** The text, through pdf.js, and Arabic words found in it (libs/testing). */
export { hasArabicWord, textOf } from '@hrp/testing';

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
export function imagesOf(pdf: Buffer): { width: number; height: number; rgba: Uint8ClampedArray }[] {
  return streamsOf(pdf)
    .filter((s) => /\/Subtype \/Image/.test(s.dict) && /\/ColorSpace \/Device(RGB|Gray)/.test(s.dict))
    .filter((s) => !streamsOf(pdf).some((other) => new RegExp(`/SMask ${/^(\d+) 0 obj/.exec(s.dict)?.[1]} 0 R`).test(other.dict)))
    .map((s) => {
      const width = Number(/\/Width (\d+)/.exec(s.dict)?.[1]);
      const height = Number(/\/Height (\d+)/.exec(s.dict)?.[1]);
      if (!/\/BitsPerComponent 8/.test(s.dict)) throw new Error('an image of another depth than 8 bits');
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
export function paintedImageSizes(pdf: Buffer): { width: number; height: number }[] {
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

/** The payloads of the QR codes the PDF's images hold. */
export function qrPayloadsOf(pdf: Buffer): string[] {
  return imagesOf(pdf).flatMap((img) => {
    const found = jsQR(img.rgba, img.width, img.height);
    return found ? [found.data] : [];
  });
}
