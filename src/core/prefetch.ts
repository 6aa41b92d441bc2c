// The read-ahead loop the worker, `leaf score` and the classical teachers share: item i+1 is prepared
// (read, decoded) while item i is visited (run through a model), one at a time and in order.

/**
 * Visits every item in order, preparing the next while the current one is visited. `stop` is checked
 * before each visit: once true, no further item is prepared or visited. A preparation still in flight is
 * awaited before returning (so, e.g., a decoded bitmap is closed), and `prepare` should report its failures
 * in what it resolves to rather than reject.
 */
export async function forEachPrefetched<T, P>(
  items: readonly T[],
  prepare: (item: T) => Promise<P>,
  visit: (prepared: P, item: T, index: number) => Promise<void> | void,
  stop: () => boolean = () => false,
): Promise<void> {
  let next: Promise<P> | undefined = items.length > 0 ? prepare(items[0]!) : undefined;
  try {
    for (let i = 0; next !== undefined && !stop(); i++) {
      const prepared = await next;
      next = i + 1 < items.length && !stop() ? prepare(items[i + 1]!) : undefined;
      if (stop()) break;
      await visit(prepared, items[i]!, i);
    }
  } finally {
    await next?.catch(() => undefined);
  }
}
