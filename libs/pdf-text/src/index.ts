/*
 * Mixed-script lines in pdfkit documents.
 *
 * fontkit shapes an Arabic string and reverses it into visual order, but pdfkit knows nothing of
 * bidirectional text: it lays a string out word by word in logical order, so two Arabic words
 * come out swapped, and Latin words or digits inside an Arabic line are misplaced. So each line
 * is cut into runs of one direction (a small subset of the Unicode bidi algorithm: neutrals
 * between two runs of the same direction join them, other neutrals take the paragraph's
 * direction); runs are placed from the paragraph's starting edge, and inside a right-to-left run
 * each word is drawn on its own, from the run's right end leftwards.
 *
 * Each word is drawn in the font of its script: a font registered for Tifinagh (which has no Latin
 * letters or digits) for Tifinagh words, the regular one otherwise.
 */

type Doc = PDFKit.PDFDocument;
export type Dir = 'ltr' | 'rtl';

export interface Run {
  text: string;
  rtl: boolean;
}

export interface Fonts {
  /** Registered font names (`doc.registerFont`). */
  regular: string;
  bold: string;
  /** For Tifinagh words, when the document has such text. */
  tifinagh?: string;
}

export interface LineStyle {
  dir: Dir;
  /** The starting edge: the left edge for ltr, the right edge for rtl. */
  edge: number;
  width: number;
  y: number;
  size: number;
  bold: boolean;
  color: string;
  fonts: Fonts;
}

const ARABIC = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const TIFINAGH = /[\u2D30-\u2D7F]/u;
const STRONG_LTR = /[\p{L}\p{N}]/u;
/** Lam followed by an alef: the one ligature Arabic requires. */
const LAM_ALEF = /\u0644[\u0622\u0623\u0625\u0627]/u;
/**
 * The OpenType features of an Arabic word. Fonts such as IBM Plex Sans Arabic join more letter
 * pairs than Arabic requires (تر, بي…, through `rlig` and `liga`); a PDF reader maps such a glyph
 * back to its two letters, then reverses the right-to-left word letter by letter, and the pair
 * comes out swapped ("التركيبي" read as "الرتكييب"). So those ligatures are off — the letters
 * still join by their contextual forms — except in a word with a lam-alef, which Arabic writes
 * as one glyph (there the reader may still swap that pair).
 */
function featuresOf(word: string): Record<string, boolean> | undefined {
  return LAM_ALEF.test(word) ? undefined : { rlig: false, liga: false, clig: false, calt: false, dlig: false };
}

/** The runs of one direction of a line, in logical order. */
export function runs(text: string, dir: Dir): Run[] {
  const chars = Array.from(text);
  const strong = chars.map((ch) => (ARABIC.test(ch) ? 'R' : STRONG_LTR.test(ch) ? 'L' : null));
  const resolved = strong.map((s, i) => {
    if (s) return s;
    const before = strong.slice(0, i).reverse().find(Boolean);
    const after = strong.slice(i + 1).find(Boolean);
    return before && before === after ? before : dir === 'rtl' ? 'R' : 'L';
  });
  const out: Run[] = [];
  chars.forEach((ch, i) => {
    const rtl = resolved[i] === 'R';
    const last = out[out.length - 1];
    if (last && last.rtl === rtl) last.text += ch;
    else out.push({ text: ch, rtl });
  });
  return out;
}

function fontFor(text: string, s: Pick<LineStyle, 'bold' | 'fonts'>): string {
  if (s.fonts.tifinagh && TIFINAGH.test(text)) return s.fonts.tifinagh;
  return s.bold ? s.fonts.bold : s.fonts.regular;
}

/** The width of a text drawn word by word in the fonts of their scripts. */
export function widthOf(doc: Doc, text: string, s: Pick<LineStyle, 'bold' | 'fonts' | 'size'>): number {
  return text
    .split(/(\s+)/)
    .filter(Boolean)
    .reduce(
      (w, token) =>
        w +
        doc
          .font(fontFor(token, s))
          .fontSize(s.size)
          .widthOfString(token, ARABIC.test(token) ? { features: featuresOf(token) as never } : {}),
      0,
    );
}

/** Draws one row, its runs placed from the paragraph's starting edge. */
export function line(doc: Doc, text: string, s: LineStyle): void {
  doc.fontSize(s.size).fillColor(s.color);
  let x = s.edge;
  for (const run of runs(text, s.dir)) {
    const w = widthOf(doc, run.text, s);
    const left = s.dir === 'rtl' ? x - w : x;
    x = s.dir === 'rtl' ? x - w : x + w;
    const tokens = run.text.split(/(\s+)/).filter(Boolean);
    if (!run.rtl) {
      let at = left;
      for (const token of tokens) {
        const font = fontFor(token, s);
        if (token.trim()) doc.font(font).fontSize(s.size).text(token, at, s.y, { lineBreak: false });
        at += doc.font(font).fontSize(s.size).widthOfString(token);
      }
      continue;
    }
    let right = left + w;
    for (const token of tokens) {
      const font = fontFor(token, s);
      const features = (ARABIC.test(token) ? featuresOf(token) : undefined) as never;
      right -= doc.font(font).fontSize(s.size).widthOfString(token, { features });
      if (token.trim()) doc.font(font).fontSize(s.size).text(token, right, s.y, { lineBreak: false, features });
    }
  }
}

/** Greedy word wrap in logical order, then one `line` per row; returns the y under the text. */
export function paragraph(doc: Doc, text: string, s: LineStyle): number {
  const rows: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const current = rows[rows.length - 1];
    if (current !== undefined && widthOf(doc, `${current} ${word}`, s) <= s.width) rows[rows.length - 1] = `${current} ${word}`;
    else rows.push(word);
  }
  const leading = s.size * 1.45;
  rows.forEach((row, i) => line(doc, row, { ...s, y: s.y + i * leading }));
  return s.y + rows.length * leading;
}
