import { describe, expect, it } from 'vitest';
import { applyHead, decodeHead, encodeHead, extendHead, type LinearHead, linearOutputs, splitHead } from './head.ts';

const head: LinearHead = {
  kind: 'scalar',
  mean: Float32Array.of(1, 2),
  std: Float32Array.of(2, 4),
  weights: Float32Array.of(0.5, -0.25),
  bias: Float32Array.of(3),
};

describe('extendHead / splitHead', () => {
  it('appends inputs taken as they come, each with its weight, and leaves the rest unchanged', () => {
    const wide = extendHead(head, [[-0.5]]);
    expect(wide.mean.length).toBe(3);
    // (3-1)/2*0.5 + (6-2)/4*-0.25 = 0.25; plus -0.5 * 2 for the extra input.
    expect(linearOutputs(head, [3, 6])[0]).toBeCloseTo(3.25, 6);
    expect(linearOutputs(wide, [3, 6, 0])[0]).toBeCloseTo(3.25, 6);
    expect(linearOutputs(wide, [3, 6, 2])[0]).toBeCloseTo(2.25, 6);
    expect(applyHead(wide, [3, 6, 0]).score).toBeCloseTo(applyHead(head, [3, 6]).score, 6);
  });

  it('survives a round trip through the head file, and splits back into the head and its extra weights', () => {
    const wide = decodeHead(encodeHead(extendHead(head, [[-0.5], [2]])), 'scalar', 4);
    const { head: back, extra } = splitHead(wide, 2);
    expect(Array.from(back.weights)).toEqual(Array.from(head.weights));
    expect(Array.from(back.mean)).toEqual(Array.from(head.mean));
    expect(extra).toEqual([[-0.5], [2]]);
  });

  it('refuses extra weights that do not match the outputs', () => {
    expect(() => extendHead(head, [[1, 2]])).toThrow(/needs 1 weights/);
  });
});
