import { describe, expect, it } from 'vitest';
import { chunkSize, MAX_WORKERS, poolSize } from './pool-size.ts';

describe('poolSize', () => {
  it('runs one worker per core, capped, and fewer when memory is short', () => {
    expect(poolSize({ cores: 2, memoryGb: 8, requested: null })).toBe(2);
    expect(poolSize({ cores: 16, memoryGb: 8, requested: null })).toBe(MAX_WORKERS);
    expect(poolSize({ cores: 8, memoryGb: 2, requested: null })).toBe(2);
    expect(poolSize({ cores: 8, memoryGb: 0.5, requested: null })).toBe(1);
  });

  it('falls back to one worker when the browser does not say, and lets ?workers= decide within the cap', () => {
    expect(poolSize({ cores: undefined, memoryGb: undefined, requested: null })).toBe(1);
    expect(poolSize({ cores: 2, memoryGb: 8, requested: 1 })).toBe(1);
    expect(poolSize({ cores: 1, memoryGb: 1, requested: 3 })).toBe(3);
    expect(poolSize({ cores: 2, memoryGb: 8, requested: 40 })).toBe(MAX_WORKERS);
  });
});

describe('chunkSize', () => {
  it('hands out a quarter of each worker share while much is queued, single images at the tail, at most 64', () => {
    expect(chunkSize(200, 2)).toBe(25);
    expect(chunkSize(7, 2)).toBe(1);
    expect(chunkSize(1, 2)).toBe(1);
    expect(chunkSize(5000, 1)).toBe(64);
  });

  it('sends whole lookups while the score store answers: no tail of single images', () => {
    expect(chunkSize(7, 2, true)).toBe(7);
    expect(chunkSize(5000, 2, true)).toBe(200);
    expect(chunkSize(0, 2, true)).toBe(1);
  });
});
