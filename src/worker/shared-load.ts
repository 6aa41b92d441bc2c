// One load shared by every request that asks for the same thing while it runs, each told its progress and
// its outcome. The inference worker's model: the page's first script asks for it as soon as it spawns the
// worker, before the app is fetched; the app's engine asks again when it starts and waits on the same load.
export interface LoadListener<Stage, Value> {
  progress(id: number, stage: Stage): void;
  done(id: number, value: Value): void;
  failed(id: number, error: unknown): void;
}

export class SharedLoad<Stage, Value> {
  private current: { key: string; result: Promise<Value>; stage: Stage | null; waiting: Set<number> } | null = null;

  constructor(private readonly listener: LoadListener<Stage, Value>) {}

  /**
   * Request `id` waits for the load under `key`, started by `start` unless one under that key already runs
   * or ran (a different key starts afresh). Returns the load's result.
   */
  join(id: number, key: string, start: (progress: (stage: Stage) => void) => Promise<Value>): Promise<Value> {
    if (this.current?.key !== key) {
      // start may report its first stage before it returns: the record it reports into exists first.
      const run = { key, result: undefined as unknown as Promise<Value>, stage: null as Stage | null, waiting: new Set<number>() };
      this.current = run;
      run.result = start((stage) => {
        run.stage = stage;
        for (const waiter of run.waiting) this.listener.progress(waiter, stage);
      });
    }
    const run = this.current;
    run.waiting.add(id);
    if (run.stage !== null) this.listener.progress(id, run.stage);
    run.result
      .then(
        (value) => this.listener.done(id, value),
        (err: unknown) => this.listener.failed(id, err),
      )
      .finally(() => run.waiting.delete(id));
    return run.result;
  }
}
