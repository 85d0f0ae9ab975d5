import { PassThrough } from 'node:stream';
import { canonicalJson, documentChecksum } from './checksum';
import { progress, progressLine } from './progress';
import { replayMode } from './replay';

describe('The replay checksum', () => {
  it('ignores the order of keys, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(documentChecksum({ _id: 'c-1', _version: 2, title: 't' })).toBe(documentChecksum({ title: 't', _version: 2, _id: 'c-1' }));
  });

  it('tells a date from its ISO string, and the bookkeeping counts', () => {
    const at = '2026-03-01T00:00:00.000Z';
    expect(canonicalJson({ at: new Date(at) })).not.toBe(canonicalJson({ at }));
    expect(documentChecksum({ _id: 'c-1', _version: 2 })).not.toBe(documentChecksum({ _id: 'c-1', _version: 3 }));
  });

  it('leaves out only the top-level fields it is told to', () => {
    const ignore = new Set(['listBucket']);
    expect(documentChecksum({ _id: 'c', listBucket: 1, a: { listBucket: 1 } }, ignore)).toBe(
      documentChecksum({ _id: 'c', listBucket: 2, a: { listBucket: 1 } }, ignore),
    );
    expect(documentChecksum({ _id: 'c', a: { listBucket: 1 } }, ignore)).not.toBe(
      documentChecksum({ _id: 'c', a: { listBucket: 2 } }, ignore),
    );
  });
});

describe('The replay modes', () => {
  it('rebuilds by default, and never switches with --dry-run, --verify or --until', () => {
    expect(replayMode({})).toBe('rebuild');
    expect(replayMode({ dryRun: true })).toBe('dry-run');
    expect(replayMode({ verify: true })).toBe('verify');
    expect(replayMode({ verify: true, dryRun: true })).toBe('verify');
    expect(replayMode({ until: new Date() })).toBe('as-of');
  });

  it('refuses --verify with --until (the live view is of now)', () => {
    expect(() => replayMode({ verify: true, until: new Date() })).toThrow(/--until/);
  });
});

describe('The replay progress', () => {
  it('says events, rate and ETA on one plain line', () => {
    expect(progressLine('campaign_view', 12000, 30000, 3000)).toBe('replay campaign_view: 12000/30000 events, 4000/s, ETA 5 s');
    expect(progressLine('campaign_view', 0, 30000, 0)).toBe('replay campaign_view: 0/30000 events, 0/s, ETA ?');
    expect(progressLine('campaign_view', 30000, 30000, 6000)).toBe('replay campaign_view: 30000/30000 events, 5000/s, ETA 0 s');
  });

  describe('when not on a terminal', () => {
    it('prints a line at the start, at most one per period, and the last one', () => {
      let t = 0;
      const out = new PassThrough();
      let text = '';
      out.on('data', (b: Buffer) => (text += b.toString()));
      const p = progress({ stream: out, tty: false, everyMs: 1000, now: () => t });
      p.start('campaign_view', 100);
      for (let done = 10; done <= 100; done += 10) {
        t += 250;
        p.update(done, 100);
      }
      p.stop();
      expect(text.split('\n').filter(Boolean)).toEqual([
        'replay campaign_view: 0/100 events, 0/s, ETA ?',
        'replay campaign_view: 40/100 events, 40/s, ETA 2 s',
        'replay campaign_view: 80/100 events, 40/s, ETA 1 s',
        'replay campaign_view: 100/100 events, 40/s, ETA 0 s',
      ]);
      expect(text).not.toMatch(/\r|\u001b\[/);
    });
  });
});
