import jsQR from 'jsqr';
import { hasArabicWord, imagesOf, paintedImageSizes, textOf } from '../../test/pdf-reader';
import { type CertificateView, QR_SIZE_PT, renderCertificatePdf, verificationUrl } from './certificate.pdf';

// The PDF is read back as a person's tools would (test/pdf-reader.ts): its text through pdf.js,
// and its QR code by taking the image out of the PDF and decoding its pixels with jsQR.

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
