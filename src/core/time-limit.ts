// A deadline for work that cannot be interrupted (a browser or libvips decode, a model run): the caller
// moves on with `onTimeout()`'s error; whatever the work returns later goes to `discard` (e.g. to free a bitmap).

export function withTimeLimit<T>(work: Promise<T>, ms: number, onTimeout: () => Error, discard?: (late: T) => void): Promise<T> {
  if (!(ms > 0) || !Number.isFinite(ms)) return work;
  return new Promise<T>((resolve, reject) => {
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      reject(onTimeout());
    }, ms);
    work.then(
      (value) => {
        if (!expired) {
          clearTimeout(timer);
          resolve(value);
        } else discard?.(value);
      },
      (err: unknown) => {
        if (!expired) {
          clearTimeout(timer);
          reject(err);
        }
      },
    );
  });
}
