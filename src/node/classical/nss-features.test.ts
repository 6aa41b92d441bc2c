import { describe, expect, it } from 'vitest';

import { mulberry32 } from '../../core/distill/random.ts';
import { fitAggd, fitGgd, gammaFn, gaussianKernel, resizeCubicOpenCV, statsOf } from './nss-features.ts';

/** Deterministic uniform PRNG so the estimator tests never flake. */
const rng = mulberry32;

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, 1) sample (Marsaglia-Tsang; shape < 1 via the u^(1/shape) boost). */
function gammaSample(shape: number, u: () => number): number {
  if (shape < 1) return gammaSample(shape + 1, u) * Math.pow(u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(u);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(u()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** AGGD sample: |x| = beta * G^(1/alpha), G ~ Gamma(1/alpha); left with probability betaL / (betaL + betaR). */
function aggdSamples(n: number, alpha: number, betaL: number, betaR: number, seed: number): Float64Array {
  const u = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mag = Math.pow(gammaSample(1 / alpha, u), 1 / alpha);
    out[i] = u() < betaL / (betaL + betaR) ? -betaL * mag : betaR * mag;
  }
  return out;
}

describe('gamma function', () => {
  it('matches known values', () => {
    expect(gammaFn(1)).toBeCloseTo(1, 12);
    expect(gammaFn(5)).toBeCloseTo(24, 10);
    expect(gammaFn(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(gammaFn(1.5)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
  });
});

describe('GGD / AGGD moment fits', () => {
  it.each([0.6, 1, 2, 3])('GGD recovers shape %s and the variance', (alpha) => {
    const beta = 0.7;
    const x = aggdSamples(200_000, alpha, beta, beta, 11);
    const fit = fitGgd(x);
    expect(Math.abs(fit.shape - alpha) / alpha).toBeLessThan(0.04);
    // Variance of a GGD: beta^2 Gamma(3/a) / Gamma(1/a).
    const variance = (beta * beta * gammaFn(3 / alpha)) / gammaFn(1 / alpha);
    expect(Math.abs(fit.variance - variance) / variance).toBeLessThan(0.03);
  });

  it.each([
    [0.8, 0.3, 0.5],
    [1.5, 1, 0.6],
    [2.5, 0.2, 0.2],
  ])('AGGD recovers shape %s, beta_l %s, beta_r %s and the mean', (alpha, betaL, betaR) => {
    const x = aggdSamples(200_000, alpha, betaL, betaR, 7);
    const fit = fitAggd(statsOf(x));
    expect(Math.abs(fit.shape - alpha) / alpha).toBeLessThan(0.05);
    expect(Math.abs(fit.leftScale - betaL) / betaL).toBeLessThan(0.04);
    expect(Math.abs(fit.rightScale - betaR) / betaR).toBeLessThan(0.04);
    const mean = ((betaR - betaL) * gammaFn(2 / alpha)) / gammaFn(1 / alpha);
    expect(Math.abs(fit.mean - mean)).toBeLessThan(0.005 + 0.05 * Math.abs(mean));
  });

  it('reports NaN for one-sided or flat input instead of inventing a shape', () => {
    expect(fitAggd(statsOf([0, 0, 0])).shape).toBeNaN();
    expect(fitAggd(statsOf([1, 2, 3])).shape).toBeNaN();
  });
});

describe('OpenCV-compatible filters', () => {
  it('Gaussian kernel is normalised and symmetric', () => {
    const k = gaussianKernel(7, 7 / 6);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (let i = 0; i < 3; i++) expect(k[i]).toBe(k[6 - i]);
  });

  it('bicubic half-size resize keeps a constant image constant and averages a checkerboard', () => {
    const w = 16;
    const flat = { data: new Float32Array(w * w).fill(0.25), width: w, height: w };
    for (const v of resizeCubicOpenCV(flat, 8, 8).data) expect(v).toBeCloseTo(0.25, 6);
    const board = { data: Float32Array.from({ length: w * w }, (_, i) => ((i % w) + Math.floor(i / w)) % 2), width: w, height: w };
    const half = resizeCubicOpenCV(board, 8, 8).data;
    expect(half[3 * 8 + 3]).toBeCloseTo(0.5, 6);
  });
});
