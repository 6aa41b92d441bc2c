// A countdown that must be kicked by signs of life while work is outstanding. The worker's own per-file time
// limit cannot stop synchronous code that never returns (or a worker that died silently, e.g. self.close()
// or out of memory without an error event): only the main thread can notice that and terminate the worker.

export class Watchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `onTimeout` runs once per silence of `ms` after a kick, unless `stop()` came first. */
  constructor(
    readonly ms: number,
    private readonly onTimeout: (silentMs: number) => void,
  ) {
    if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`watchdog timeout must be a positive number of ms, got ${ms}`);
  }

  /** Work is outstanding and something just happened: the countdown starts again from now. */
  kick(): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onTimeout(this.ms);
    }, this.ms);
  }

  /** Nothing outstanding (or the worker is being replaced): no countdown. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  get armed(): boolean {
    return this.timer !== null;
  }
}
