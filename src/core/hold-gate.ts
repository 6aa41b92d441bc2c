// A pause a worker takes between images when asked: while the user steps through the culling view, the
// secondary scoring workers hold so the page keeps a core for its frames (with two busy workers on two
// cores, bench:culling's frame interval had a p95 of 33 ms, a dropped frame). Each ask is short and renewed
// while keys keep coming, so scoring resumes on its own once the user stops.

/** The longest single hold a request can ask for: a lost "go on" can never stall scoring for longer. */
export const MAX_HOLD_MS = 2_000;

export class HoldGate {
  private until = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Hold for `ms` from now (capped at MAX_HOLD_MS); a later end wins over an earlier one. */
  hold(ms: number): void {
    if (!(ms > 0)) return;
    this.until = Math.max(this.until, this.now() + Math.min(ms, MAX_HOLD_MS));
  }

  get holding(): boolean {
    return this.now() < this.until;
  }

  /** Resolves once no hold is in force (at once when none is); holds asked meanwhile extend the wait. */
  async passed(): Promise<void> {
    for (let left = this.until - this.now(); left > 0; left = this.until - this.now()) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }
}
