import { describe, expect, it } from 'vitest';
import { withTimeLimit } from './time-limit.ts';

const later = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('withTimeLimit', () => {
  it('passes results and errors through when the work is in time', async () => {
    await expect(withTimeLimit(later(5, 'ok'), 1000, () => new Error('late'))).resolves.toBe('ok');
    await expect(withTimeLimit(Promise.reject(new Error('bad')), 1000, () => new Error('late'))).rejects.toThrow('bad');
  });

  it('rejects with the timeout error when the work hangs, and hands a late result to discard', async () => {
    const discarded: string[] = [];
    const t0 = Date.now();
    await expect(withTimeLimit(later(400, 'bitmap'), 10, () => new Error('took too long'), (v) => discarded.push(v))).rejects.toThrow('took too long');
    expect(Date.now() - t0).toBeLessThan(300); // well before the work ends, even on a busy machine
    expect(discarded).toEqual([]);
    await later(450, null);
    expect(discarded).toEqual(['bitmap']);
  });

  it('never settles twice: a failure after the deadline is ignored', async () => {
    const work = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('after')), 20));
    await expect(withTimeLimit(work, 5, () => new Error('deadline'))).rejects.toThrow('deadline');
    await later(30, null);
  });

  it('is a no-op without a positive finite limit', async () => {
    const p = later(1, 3);
    expect(withTimeLimit(p, 0, () => new Error('x'))).toBe(p);
    expect(withTimeLimit(p, Infinity, () => new Error('x'))).toBe(p);
  });
});
