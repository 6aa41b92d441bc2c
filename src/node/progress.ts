// Progress on stderr for every long Node job: a bar when stderr is a terminal; in a log file, one line per
// 10% with rate and time left.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, extra?: Record<string, unknown>): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Where to write (default: process.stderr). */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Draw a bar (default: when the stream is a terminal); else one line per 10%. */
  readonly tty?: boolean;
  /** What is counted (default: items per second). */
  readonly unit?: string;
  /** Payload fields shown after the count, e.g. ['failed'] for update(done, { failed }). */
  readonly fields?: readonly string[];
}

export function progressBar(label: string, total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  const unit = options.unit ?? '';
  const fields = options.fields ?? [];
  if (total === 0) return { update() {}, stop() {} };
  if (!tty) {
    let shown = -1;
    const begin = Date.now();
    return {
      update(done, extra) {
        const tenth = Math.floor((10 * done) / total);
        if (tenth === shown) return;
        shown = tenth;
        const seconds = (Date.now() - begin) / 1000;
        const rate = done / Math.max(1e-3, seconds);
        const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        const more = fields.map((f) => `, ${String(extra?.[f] ?? 0)} ${f}`).join('');
        stream.write(`${label}: ${done}/${total}${unit ? ` ${unit}` : ''} (${seconds.toFixed(0)} s, ${rate.toFixed(1)}/s, eta ${eta} s${more})\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} {bar} {value}/{total}${unit ? ` ${unit}` : ''} | {rate}/s${fields.map((f) => ` | {${f}} ${f}`).join('')} | eta {eta_formatted}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  bar.start(total, 0, { rate: '0.0', ...Object.fromEntries(fields.map((f) => [f, 0])) });
  return {
    update(done, extra) {
      bar.update(done, { rate: (done / Math.max(1e-3, (Date.now() - start) / 1000)).toFixed(1), ...extra });
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * An `onProgress(label, done, total)` callback for jobs with several stages: one bar per stage, started at
 * its first report and stopped when done reaches total (or when `stop()` is called, e.g. before a log line).
 */
export function stagedProgress(): { report(label: string, done: number, total: number): void; stop(): void } {
  let bar: Progress | undefined;
  let current = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
    current = '';
  };
  return {
    report(label, done, total) {
      if (label !== current) {
        stop();
        current = label;
        bar = progressBar(label, total);
      }
      bar?.update(done);
      if (done === total) stop();
    },
    stop,
  };
}

/** An `onProgress(done, total)` callback for a single job. */
export function progressReporter(label: string): (done: number, total: number) => void {
  const staged = stagedProgress();
  return (done, total) => staged.report(label, done, total);
}
