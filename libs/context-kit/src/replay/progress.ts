import { Presets, SingleBar } from 'cli-progress';

/** Progress of one replay: started with its label, updated with events read of the total, stopped at the end. */
export interface Progress {
  start(label: string, total: number): void;
  update(done: number, total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Where the bar or the lines go (process.stdout). */
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** A bar when true; otherwise plain lines (default: the stream's isTTY). */
  readonly tty?: boolean;
  /** Plain lines: at most one per this many ms, beside the first and the last (default 3000). */
  readonly everyMs?: number;
  readonly now?: () => number;
}

/** `replay campaign_view: 12000/30000 events, 4100/s, ETA 4 s` */
export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
  const eta = done >= total ? '0 s' : rate > 0 ? `${Math.ceil((total - done) / rate)} s` : '?';
  return `replay ${label}: ${done}/${total} events, ${rate}/s, ETA ${eta}`;
}

/** A progress bar on a terminal (cli-progress), plain lines every few seconds elsewhere (logs, CI, pipes). */
export function progress(o: ProgressOptions): Progress {
  return (o.tty ?? o.stream.isTTY === true) ? barProgress(o) : lineProgress(o);
}

function barProgress(o: ProgressOptions): Progress {
  const now = o.now ?? Date.now;
  let bar: SingleBar | undefined;
  let started = 0;
  const rate = (done: number) => {
    const ms = now() - started;
    return ms > 0 ? Math.round((done * 1000) / ms) : 0;
  };
  return {
    start(label, total) {
      started = now();
      bar = new SingleBar(
        {
          format: `replay ${label} [{bar}] {value}/{total} events | {rate}/s | ETA {eta_formatted}`,
          stream: o.stream,
          hideCursor: true,
          etaBuffer: 50,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0, { rate: 0 });
    },
    update(done, total) {
      if (!bar) return;
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(done, { rate: rate(done) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function lineProgress(o: ProgressOptions): Progress {
  const now = o.now ?? Date.now;
  const every = o.everyMs ?? 3000;
  let label = '';
  let started = 0;
  let printedAt = -Infinity;
  let last: { done: number; total: number } | undefined;
  let printedLast = false;
  const print = (done: number, total: number) => {
    printedAt = now();
    printedLast = true;
    o.stream.write(`${progressLine(label, done, total, printedAt - started)}\n`);
  };
  return {
    start(l, total) {
      label = l;
      started = now();
      printedAt = -Infinity;
      last = { done: 0, total };
      print(0, total);
    },
    update(done, total) {
      last = { done, total };
      printedLast = false;
      if (now() - printedAt >= every) print(done, total);
    },
    stop() {
      if (last && !printedLast) print(last.done, last.total);
      last = undefined;
    },
  };
}
