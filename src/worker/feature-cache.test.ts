import { describe, expect, it } from 'vitest';
import { FeatureCache } from './feature-cache.ts';

const vec = (n: number, v: number) => new Float32Array(n).fill(v);

describe('FeatureCache', () => {
  it('tracks entries and bytes through replace, delete and clear', () => {
    const c = new FeatureCache();
    c.set('a', { mode: 'fast', features: vec(10, 1) });
    c.set('b', { mode: 'fast', features: vec(10, 2) });
    c.set('a', { mode: 'accurate', features: vec(10, 3) });
    expect([c.size, c.bytes]).toEqual([2, 80]);
    expect(c.get('a')!.mode).toBe('accurate');
    expect(Array.from(c.get('a')!.features)).toEqual(Array.from(vec(10, 3)));
    expect(c.delete('b')).toBe(true);
    expect(c.delete('b')).toBe(false);
    expect(c.get('b')).toBeUndefined();
    expect([c.size, c.bytes]).toEqual([1, 40]);
    expect(c.clear()).toBe(1);
    expect([c.size, c.bytes]).toEqual([0, 0]);
  });

  it('keeps thousands of vectors across chunks, reusing freed rows, in insertion order', () => {
    const c = new FeatureCache();
    for (let i = 0; i < 1000; i++) c.set(`img-${i}`, { mode: 'fast', features: vec(8, i) });
    expect(c.get('img-999')!.features[7]).toBe(999);
    expect(c.get('img-300')!.features[0]).toBe(300);
    c.delete('img-5');
    c.set('new', { mode: 'accurate', features: vec(8, -1) });
    expect(c.get('img-6')!.features[0]).toBe(6);
    expect(c.get('new')!.features[0]).toBe(-1);
    const entries = c.entries();
    expect(entries).toHaveLength(1000);
    expect(entries[0]![0]).toBe('img-0');
    expect(entries.at(-1)![0]).toBe('new');
    expect(entries.at(-1)![1].features).toHaveLength(8);
  });

  it('starts over when the feature length changes (another model)', () => {
    const c = new FeatureCache();
    c.set('a', { mode: 'fast', features: vec(4, 1) });
    c.set('b', { mode: 'fast', features: vec(6, 2) });
    expect(c.size).toBe(1);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')!.features).toHaveLength(6);
  });

  it('with a capacity keeps only the newest rows, so its memory stops growing', () => {
    const c = new FeatureCache(300);
    for (let i = 0; i < 1000; i++) c.set(`img-${i}`, { mode: 'fast', features: vec(8, i) });
    const bytesAt1000 = c.bytes;
    for (let i = 1000; i < 5000; i++) c.set(`img-${i}`, { mode: 'fast', features: vec(8, i) });
    expect([c.size, c.bytes]).toEqual([300, bytesAt1000]);
    expect(c.get('img-4699')).toBeUndefined();
    expect(c.get('img-4700')!.features[0]).toBe(4700);
    expect(c.get('img-4999')!.features[0]).toBe(4999);
    // A row written again stays where it is and evicts nothing.
    c.set('img-4800', { mode: 'accurate', features: vec(8, -1) });
    expect([c.size, c.get('img-4700')?.mode]).toEqual([300, 'fast']);
    // Lifting the capacity (no score store to fall back on) keeps every row from then on.
    c.capacity = Infinity;
    for (let i = 5000; i < 5500; i++) c.set(`img-${i}`, { mode: 'fast', features: vec(8, i) });
    expect(c.size).toBe(800);
  });
});
