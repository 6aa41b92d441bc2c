// Which images the current worker has been sent and not yet answered, in the order it works through them
// (score requests are queued in the worker and each streams its images in order). When the worker has to be
// replaced, the first unanswered image is the one it was stuck on; the rest can go to the next worker.

export class InFlight<Run> {
  /** Map and Set keep insertion order: the order requests and their images were sent. */
  private readonly runs = new Map<Run, Set<string>>();

  add(run: Run, imageIds: readonly string[]): void {
    this.runs.set(run, new Set(imageIds));
  }

  answered(run: Run, imageId: string): void {
    this.runs.get(run)?.delete(imageId);
  }

  /** The run is over (done or cancelled): whatever it did not answer is no longer expected. */
  end(run: Run): void {
    this.runs.delete(run);
  }

  /** The image the worker is working on now: the first one sent and not answered. */
  get current(): string | undefined {
    for (const ids of this.runs.values()) for (const id of ids) return id;
    return undefined;
  }

  /** Requests sent and not ended. */
  get requests(): number {
    return this.runs.size;
  }

  get size(): number {
    let n = 0;
    for (const ids of this.runs.values()) n += ids.size;
    return n;
  }

  /** Every run with its unanswered images, in sending order; afterwards nothing is in flight. */
  drain(): [Run, string[]][] {
    const all = [...this.runs].map(([run, ids]): [Run, string[]] => [run, [...ids]]);
    this.runs.clear();
    return all;
  }
}
