import { checkReportSignature, reportUrl, signReport } from './report-files';

describe('report download URLs', () => {
  const secret = 'a-secret-for-tests';
  const now = 1_800_000_000;

  it('are signed for one file and one expiry', () => {
    const url = new URL(reportUrl('http://localhost:4000/', secret, 'abc_DEF-1', now + 600));
    expect(url.pathname).toBe('/reports/abc_DEF-1');
    expect(checkReportSignature(secret, 'abc_DEF-1', url.searchParams.get('exp')!, url.searchParams.get('sig')!, now)).toBeNull();
  });

  it('refuse another file, another expiry, another secret or no signature', () => {
    const sig = signReport(secret, 'file-1', now + 600);
    expect(checkReportSignature(secret, 'file-2', String(now + 600), sig, now)).toBe('forbidden');
    expect(checkReportSignature(secret, 'file-1', String(now + 6000), sig, now)).toBe('forbidden');
    expect(checkReportSignature('another', 'file-1', String(now + 600), sig, now)).toBe('forbidden');
    expect(checkReportSignature(secret, 'file-1', undefined, sig, now)).toBe('forbidden');
    expect(checkReportSignature(secret, 'file-1', String(now + 600), undefined, now)).toBe('forbidden');
    expect(checkReportSignature(secret, '../etc', String(now + 600), sig, now)).toBe('forbidden');
  });

  it('expire', () => {
    const sig = signReport(secret, 'file-1', now - 1);
    expect(checkReportSignature(secret, 'file-1', String(now - 1), sig, now)).toBe('expired');
  });
});
