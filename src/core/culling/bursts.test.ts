import { describe, expect, it } from 'vitest';
import { DEFAULT_TAPS, featureLength } from '../model/features.ts';
import { burstEmbedding, groupBursts, packedSimilarity, packEmbedding, similarity, unpackEmbedding } from './bursts.ts';

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};

describe('groupBursts', () => {
  const a = unit(1, 0, 0);
  const a2 = unit(1, 0.1, 0);
  const b = unit(0, 1, 0);
  it('joins look-alike neighbours taken close together, best frame by score', () => {
    const bursts = groupBursts([
      { id: '1', embedding: a, capturedAt: 0, score: 2 },
      { id: '2', embedding: a2, capturedAt: 300, score: 4 },
      { id: '3', embedding: a, capturedAt: 600, score: null },
      { id: '4', embedding: b, capturedAt: 900, score: 5 },
    ]);
    expect(bursts).toEqual([{ ids: ['1', '2', '3'], best: '2' }]);
  });
  it('splits look-alikes taken far apart, and frames that look different', () => {
    expect(groupBursts([
      { id: '1', embedding: a, capturedAt: 0, score: 1 },
      { id: '2', embedding: a, capturedAt: 60_000, score: 1 },
    ])).toEqual([]);
    expect(groupBursts([
      { id: '1', embedding: a, capturedAt: null, score: 1 },
      { id: '2', embedding: b, capturedAt: null, score: 1 },
      { id: '3', embedding: a, capturedAt: null, score: 2 },
    ])).toEqual([]);
  });
  it('orders by capture time when every frame has one, else keeps the given order', () => {
    const shuffled = [
      { id: 'late', embedding: a, capturedAt: 2000, score: 1 },
      { id: 'other', embedding: b, capturedAt: 1000, score: 1 },
      { id: 'early', embedding: a2, capturedAt: 0, score: 1 },
    ];
    expect(groupBursts(shuffled)).toEqual([]); // early, other, late: 'other' sits between the look-alikes
    expect(groupBursts(shuffled.map((f) => ({ ...f, capturedAt: null })))).toEqual([]);
    expect(groupBursts([shuffled[2]!, shuffled[0]!, shuffled[1]!].map((f) => ({ ...f, capturedAt: null })))).toEqual([{ ids: ['early', 'late'], best: 'early' }]);
  });
  it('skips frames without an embedding (not scored yet)', () => {
    expect(groupBursts([
      { id: '1', embedding: a, capturedAt: null, score: 1 },
      { id: '2', embedding: null, capturedAt: null, score: null },
      { id: '3', embedding: a2, capturedAt: null, score: 3 },
    ])).toEqual([{ ids: ['1', '3'], best: '3' }]);
  });
});

describe('packEmbedding', () => {
  it('round-trips an embedding as a short plain string, cosine within 0.001', () => {
    const features = Float32Array.from({ length: featureLength(DEFAULT_TAPS) }, (_, i) => Math.sin(i * 1.7) + (i % 7) * 0.1);
    const e = burstEmbedding(features, DEFAULT_TAPS);
    const packed = packEmbedding(e);
    expect(packed).toHaveLength(224);
    expect(JSON.parse(JSON.stringify(packed))).toBe(packed);
    expect(similarity(e, unpackEmbedding(packed))).toBeGreaterThan(0.999);
  });

  it('compares packed embeddings without unpacking them: the unpacked cosine, to float rounding', () => {
    const features = (k: number) => Float32Array.from({ length: featureLength(DEFAULT_TAPS) }, (_, i) => Math.sin(i * (1.7 + k * 0.01)) + ((i * k) % 7) * 0.1);
    const packed = [0, 1, 2, 30].map((k) => packEmbedding(burstEmbedding(features(k), DEFAULT_TAPS)));
    for (const a of packed) for (const b of packed) expect(packedSimilarity(a, b)).toBeCloseTo(similarity(unpackEmbedding(a), unpackEmbedding(b)), 6);
    expect(packedSimilarity(packed[0]!, packed[0]!)).toBeCloseTo(1, 12);
    expect(packedSimilarity(packed[0]!, String.fromCharCode(...Array.from({ length: 224 }, () => 128)))).toBe(0);
    expect(packedSimilarity(packed[0]!, 'short')).toBe(-1);
  });
});

describe('burstEmbedding', () => {
  it('takes the expanded_conv_15 mean block, centred and unit length', () => {
    const features = Float32Array.from({ length: featureLength(DEFAULT_TAPS) }, (_, i) => i);
    const e = burstEmbedding(features, DEFAULT_TAPS);
    expect(e).toHaveLength(224);
    expect(similarity(e, e)).toBeCloseTo(1, 5);
    expect(e.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 4);
    // Increasing input -> increasing embedding: the block starts at offset 608.
    expect(e[1]! - e[0]!).toBeCloseTo(e[2]! - e[1]!, 6);
    expect(() => burstEmbedding(features, DEFAULT_TAPS.filter((t) => t.node !== 'expanded_conv_15/add'))).toThrow(/no expanded_conv_15/);
  });
});
