// Progress on stderr for every long Node job: a bar when stderr is a terminal; in a log file, one line per
// 10% with rate and time left.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, extra?: Record<string, unknown>): void;
  stop(): void;
}

export function progressBar(label: string, total: number, tty = process.stderr.isTTY === true): Progress {
  if (total === 0) return { update() {}, stop() {} };
  if (!tty) {
    let shown = -1;
    const begin = Date.now();
    return {
      update(done) {
        const tenth = Math.floor((10 * done) / total);
        if (tenth === shown) return;
        shown = tenth;
        const seconds = (Date.now() - begin) / 1000;
        const rate = done / Math.max(1e-3, seconds);
        const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        process.stderr.write(`${label}: ${done}/${total} (${seconds.toFixed(0)} s, ${rate.toFixed(1)}/s, eta ${eta} s)\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} {bar} {value}/{total} | {rate}/s | eta {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  bar.start(total, 0, { rate: '0.0' });
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
