// One load shared by every request that asks for the same thing while it runs, each told its progress and
// its outcome. The inference worker's model: the page's first script asks for it as soon as it spawns the
// worker, before the app is fetched; the app's engine asks again when it starts and waits on the same load.
export interface LoadListener<Stage, Value> {
  progress(id: number, stage: Stage): void;
  done(id: number, value: Value): void;
  failed(id: number, error: unknown): void;
}

export class SharedLoad<Stage, Value> {
  private current: { key: string; result: Promise<Value>; heard: { stage: Stage | null; waiting: Set<number> } } | null = null;

  constructor(private readonly listener: LoadListener<Stage, Value>) {}

  /**
   * Request `id` waits for the load under `key`, started by `start` unless one under that key already runs
   * or ran (a different key starts afresh). Returns the load's result.
   */
  join(id: number, key: string, start: (progress: (stage: Stage) => void) => Promise<Value>): Promise<Value> {
    if (this.current?.key !== key) {
      // start may report its first stage before it returns: what it reports into exists first.
      const heard = { stage: null as Stage | null, waiting: new Set<number>() };
      const result = start((stage) => {
        heard.stage = stage;
        for (const waiter of heard.waiting) this.listener.progress(waiter, stage);
      });
      this.current = { key, result, heard };
    }
    const { result, heard } = this.current;
    heard.waiting.add(id);
    if (heard.stage !== null) this.listener.progress(id, heard.stage);
    result
      .then(
        (value) => this.listener.done(id, value),
        (err: unknown) => this.listener.failed(id, err),
      )
      .finally(() => heard.waiting.delete(id));
    return result;
  }
}
