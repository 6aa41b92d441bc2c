// A countdown that must be kicked by signs of life while work is outstanding. The worker's own per-file time
// limit cannot stop synchronous code that never returns (or a worker that died silently, e.g. self.close()
// or out of memory without an error event): only the main thread can notice that and terminate the worker.

export class Watchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastKick = 0;

  /** `onTimeout` runs once per silence of `ms` after a kick, unless `stop()` came first. */
  constructor(
    readonly ms: number,
    private readonly onTimeout: (silentMs: number) => void,
    private readonly now: () => number = Date.now,
  ) {
    if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`watchdog timeout must be a positive number of ms, got ${ms}`);
  }

  /**
   * Work is outstanding and something just happened: the countdown starts again from now. Kicks come once
   * per result (5,000 in a reopened folder), so a kick only notes the time; the one timer, when it fires
   * early, waits out the rest of the silence.
   */
  kick(): void {
    this.lastKick = this.now();
    if (this.timer === null) this.arm(this.ms);
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const silent = this.now() - this.lastKick;
      if (silent < this.ms) return this.arm(this.ms - silent);
      this.timer = null;
      this.onTimeout(this.ms);
    }, ms);
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
