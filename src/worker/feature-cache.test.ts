import { describe, expect, it } from 'vitest';
import { FeatureCache } from './feature-cache.ts';

describe('FeatureCache', () => {
  it('tracks entries and bytes through replace, delete and clear', () => {
    const c = new FeatureCache();
    c.set('a', { mode: 'fast', features: new Float32Array(10) });
    c.set('b', { mode: 'fast', features: new Float32Array(5) });
    c.set('a', { mode: 'accurate', features: new Float32Array(2) });
    expect([c.size, c.bytes]).toEqual([2, 28]);
    expect(c.get('a')!.mode).toBe('accurate');
    expect(c.delete('b')).toBe(true);
    expect(c.delete('b')).toBe(false);
    expect([c.size, c.bytes]).toEqual([1, 8]);
    expect(c.clear()).toBe(1);
    expect([c.size, c.bytes]).toEqual([0, 0]);
  });
});
