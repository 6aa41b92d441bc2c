import { describe, expect, it } from 'vitest';
import { forEachPrefetched } from './prefetch.ts';

describe('forEachPrefetched', () => {
  it('visits in order and prepares the next item while the current one is visited', async () => {
    const log: string[] = [];
    await forEachPrefetched(
      [1, 2, 3],
      async (n) => {
        log.push(`prepare ${n}`);
        return n * 10;
      },
      async (p, n, i) => {
        log.push(`visit ${n}=${p} #${i}`);
        await new Promise((r) => setTimeout(r, 1));
      },
    );
    expect(log).toEqual(['prepare 1', 'prepare 2', 'visit 1=10 #0', 'prepare 3', 'visit 2=20 #1', 'visit 3=30 #2']);
  });

  it('stops before the next visit and waits for a preparation in flight', async () => {
    const visited: number[] = [];
    let settled = 0;
    await forEachPrefetched(
      [1, 2, 3, 4],
      (n) => new Promise<number>((r) => setTimeout(() => (settled++, r(n)), 2)),
      (n) => void visited.push(n),
      () => visited.length >= 2,
    );
    expect(visited).toEqual([1, 2]);
    expect(settled).toBe(3); // item 3 was prefetched during visit 2, and awaited; item 4 never started
  });

  it('does nothing for no items', async () => {
    let calls = 0;
    await forEachPrefetched([], async () => calls++, () => void calls++);
    expect(calls).toBe(0);
  });
});
