import { execFile } from 'node:child_process';

/*
 * A PDF's text as a person's tools would read it: through pdf.js (pdf-parse). pdf.js is ECMAScript
 * modules only and loads its worker with a dynamic import, which Jest's CommonJS module system
 * refuses; so the text is extracted by a plain Node child process.
 */

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

export function textOf(pdf: Buffer): Promise<string> {
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
export function hasArabicWord(text: string, word: string): boolean {
  const normalised = text.normalize('NFKC');
  return normalised.includes(word) || normalised.includes(Array.from(word).reverse().join(''));
}
