import { describe, expect, it } from 'vitest';
import { SharedLoad } from './shared-load.ts';

function recorder() {
  const events: string[] = [];
  const load = new SharedLoad<string, string>({
    progress: (id, stage) => events.push(`${id} ${stage}`),
    done: (id, value) => events.push(`${id} done ${value}`),
    failed: (id, err) => events.push(`${id} failed ${(err as Error).message}`),
  });
  return { events, load };
}

function deferred() {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SharedLoad', () => {
  it('starts one load for two requests under the same key; the later one hears the stage it missed', async () => {
    const { events, load } = recorder();
    const d = deferred();
    let starts = 0;
    let report!: (stage: string) => void;
    const start = (progress: (s: string) => void) => {
      starts++;
      progress('backend'); // before start returns, as the worker's init does
      report = progress;
      return d.promise;
    };
    const first = load.join(0, 'wasm model', start);
    report('model');
    const second = load.join(1, 'wasm model', start);
    d.resolve('student');
    expect(await first).toBe('student');
    expect(await second).toBe('student');
    expect(starts).toBe(1);
    expect(events).toEqual(['0 backend', '0 model', '1 model', '0 done student', '1 done student']);
  });

  it('a request arriving after the load ended gets its result at once', async () => {
    const { events, load } = recorder();
    await load.join(0, 'k', async () => 'v');
    let starts = 0;
    await load.join(3, 'k', async () => (starts++, 'again'));
    expect(starts).toBe(0);
    expect(events).toEqual(['0 done v', '3 done v']);
  });

  it('a failed load fails every request waiting on it', async () => {
    const { events, load } = recorder();
    const d = deferred();
    const a = load.join(0, 'k', () => d.promise);
    const b = load.join(1, 'k', () => d.promise);
    d.reject(new Error('no backend'));
    await expect(a).rejects.toThrow('no backend');
    await expect(b).rejects.toThrow('no backend');
    expect(events).toEqual(['0 failed no backend', '1 failed no backend']);
  });

  it('another key starts another load', async () => {
    const { load } = recorder();
    const keys: string[] = [];
    await load.join(0, 'a', async () => (keys.push('a'), 'A'));
    expect(await load.join(1, 'b', async () => (keys.push('b'), 'B'))).toBe('B');
    expect(keys).toEqual(['a', 'b']);
  });
});
