import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileRegistry } from './file-registry.ts';
import { StoredThumbLoader } from './stored-thumbs.ts';

describe('thumbnails kept in the score store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('are asked for once, the first time a card would show them, and read together', async () => {
    const reads: string[][] = [];
    const delivered: (readonly [string, Blob | null])[][] = [];
    const blob = new Blob(['jpeg'], { type: 'image/jpeg' });
    const loader = new StoredThumbLoader(
      async (keys) => {
        reads.push([...keys]);
        return keys.map((k) => (k === 'gone' ? null : blob));
      },
      (found) => delivered.push([...found]),
    );
    const registry = new FileRegistry((id, key) => loader.want(id, key));
    registry.setStoredThumb('a', 'ka');
    registry.setStoredThumb('b', 'gone');
    registry.setStoredThumb('c', 'kc');
    // Render: the cards of a and b ask (twice each: re-renders before the read ask nothing more); c is off screen.
    for (let i = 0; i < 2; i++) expect([registry.thumbUrl('a'), registry.thumbUrl('b')]).toEqual([null, null]);
    expect(reads).toEqual([]);
    await vi.runAllTimersAsync();
    expect(reads).toEqual([['ka', 'gone']]);
    expect(delivered).toEqual([[['a', blob], ['b', null]]]);
    registry.setThumb('a', blob);
    expect(registry.thumbUrl('a')).toMatch(/^blob:/);
    // b has none after all: not asked again.
    expect(registry.thumbUrl('b')).toBeNull();
    await vi.runAllTimersAsync();
    expect(reads).toHaveLength(1);
    registry.clear();
  });

  it('a thumbnail made in this session wins over the stored one', () => {
    const asked = vi.fn();
    const registry = new FileRegistry(asked);
    registry.setThumb('a', new Blob(['new']));
    registry.setStoredThumb('a', 'ka');
    expect(registry.thumbUrl('a')).toMatch(/^blob:/);
    expect(asked).not.toHaveBeenCalled();
    registry.clear();
  });
});
