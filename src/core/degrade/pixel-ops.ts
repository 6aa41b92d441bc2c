// Degradations computed on RGB bytes in plain TypeScript (runs in Node, a worker or a page): blur kernels,
// sensor noise in linear light, exposure, contrast and colour casts. Lossy codecs need an encoder and live
// with the runtime that has one (sharp in Node).
import type { Pixels } from '../model/preprocess.ts';
import type { Degradation } from './recipes.ts';

/** A sparse convolution kernel: offsets and weights (weights sum to 1). */
export interface Kernel {
  readonly dx: Int32Array;
  readonly dy: Int32Array;
  readonly w: Float32Array;
}

function kernelOf(taps: { dx: number; dy: number; w: number }[]): Kernel {
  const kept = taps.filter((t) => t.w > 1e-6);
  const sum = kept.reduce((s, t) => s + t.w, 0);
  return {
    dx: Int32Array.from(kept, (t) => t.dx),
    dy: Int32Array.from(kept, (t) => t.dy),
    w: Float32Array.from(kept, (t) => t.w / sum),
  };
}

/** Uniform disk (a defocused lens's point spread), anti-aliased at its rim by 4x4 supersampling. */
export function diskKernel(radius: number): Kernel {
  const r = Math.ceil(radius);
  const taps: { dx: number; dy: number; w: number }[] = [];
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      let inside = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) {
        const x = dx - 0.5 + (sx + 0.5) / 4;
        const y = dy - 0.5 + (sy + 0.5) / 4;
        if (x * x + y * y <= radius * radius) inside++;
      }
      taps.push({ dx, dy, w: inside / 16 });
    }
  }
  return kernelOf(taps);
}

/** A straight streak of `length` px at `angle` radians (camera shake during the exposure). */
export function motionKernel(length: number, angle: number): Kernel {
  const acc = new Map<string, { dx: number; dy: number; w: number }>();
  const samples = Math.max(2, Math.ceil(length * 4));
  for (let i = 0; i < samples; i++) {
    const t = (i / (samples - 1) - 0.5) * length;
    const x = t * Math.cos(angle);
    const y = t * Math.sin(angle);
    // Bilinear splat of each sample onto the four nearest taps.
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    for (const [ox, oy, w] of [
      [0, 0, (1 - (x - x0)) * (1 - (y - y0))],
      [1, 0, (x - x0) * (1 - (y - y0))],
      [0, 1, (1 - (x - x0)) * (y - y0)],
      [1, 1, (x - x0) * (y - y0)],
    ] as const) {
      const key = `${x0 + ox},${y0 + oy}`;
      const tap = acc.get(key) ?? { dx: x0 + ox, dy: y0 + oy, w: 0 };
      tap.w += w;
      acc.set(key, tap);
    }
  }
  return kernelOf([...acc.values()]);
}

/** Separable gaussian as a 1-D kernel (apply along x, then y). */
export function gaussianTaps(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const w = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += w[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < w.length; i++) w[i]! /= sum;
  return w;
}

function rgb(p: Pixels): Pixels {
  if (p.channels !== 3) throw new Error('degradations take packed RGB pixels');
  return p;
}

const clampByte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Convolution with edge pixels repeated (no dark border). */
export function convolve(p: Pixels, k: Kernel): Pixels {
  const { width: W, height: H, data } = rgb(p);
  const out = new Uint8Array(data.length);
  const n = k.w.length;
  // Away from the border every tap is inside: precomputed offsets, no clamping (most of the work).
  const reach = Math.max(...Array.from(k.dx, Math.abs), ...Array.from(k.dy, Math.abs));
  const offsets = Int32Array.from(k.w, (_, t) => 3 * (k.dy[t]! * W + k.dx[t]!));
  for (let y = 0; y < H; y++) {
    const innerRow = y >= reach && y < H - reach;
    for (let x = 0; x < W; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      if (innerRow && x >= reach && x < W - reach) {
        const base = 3 * (y * W + x);
        for (let t = 0; t < n; t++) {
          const i = base + offsets[t]!;
          const w = k.w[t]!;
          r += w * data[i]!;
          g += w * data[i + 1]!;
          b += w * data[i + 2]!;
        }
        out[base] = clampByte(r);
        out[base + 1] = clampByte(g);
        out[base + 2] = clampByte(b);
        continue;
      }
      for (let t = 0; t < n; t++) {
        const sx = Math.min(W - 1, Math.max(0, x + k.dx[t]!));
        const sy = Math.min(H - 1, Math.max(0, y + k.dy[t]!));
        const i = 3 * (sy * W + sx);
        const w = k.w[t]!;
        r += w * data[i]!;
        g += w * data[i + 1]!;
        b += w * data[i + 2]!;
      }
      const o = 3 * (y * W + x);
      out[o] = clampByte(r);
      out[o + 1] = clampByte(g);
      out[o + 2] = clampByte(b);
    }
  }
  return { data: out, width: W, height: H, channels: 3 };
}

export function gaussianBlur(p: Pixels, sigma: number): Pixels {
  const { width: W, height: H, data } = rgb(p);
  const taps = gaussianTaps(sigma);
  const r = (taps.length - 1) / 2;
  const tmp = new Float32Array(data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let t = -r; t <= r; t++) s += taps[t + r]! * data[3 * (y * W + Math.min(W - 1, Math.max(0, x + t))) + c]!;
        tmp[3 * (y * W + x) + c] = s;
      }
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let t = -r; t <= r; t++) s += taps[t + r]! * tmp[3 * (Math.min(H - 1, Math.max(0, y + t)) * W + x) + c]!;
        out[3 * (y * W + x) + c] = clampByte(s);
      }
    }
  }
  return { data: out, width: W, height: H, channels: 3 };
}

// sRGB <-> linear light through a 256-entry table one way and the closed form back.
const TO_LINEAR = Float32Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});
const TO_BYTE_STEPS = 65535;
// Linear -> sRGB byte through a fine table (max error ~0.05 of a level; pow per value was most of the time).
const TO_BYTE = Uint8Array.from({ length: TO_BYTE_STEPS + 1 }, (_, i) => {
  const l = i / TO_BYTE_STEPS;
  return clampByte((l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055) * 255);
});
function toByte(lin: number): number {
  return lin <= 0 ? 0 : lin >= 1 ? 255 : TO_BYTE[Math.round(lin * TO_BYTE_STEPS)]!;
}

function mapLinear(p: Pixels, f: (lin: number, channel: number, i: number) => number): Pixels {
  const { data } = rgb(p);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = toByte(f(TO_LINEAR[data[i]!]!, i % 3, i));
  return { ...p, data: out };
}

/** Poisson-Gaussian sensor noise in linear light (variance gain*signal + read^2), independent per channel. */
export function sensorNoise(p: Pixels, gain: number, read: number, rand: () => number): Pixels {
  return mapLinear(p, (lin) => {
    const u = rand() + 1e-12;
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return lin + z * Math.sqrt(gain * lin + read * read);
  });
}

/** Exposure error of `ev` stops, clipped like a sensor (highlights burn out, shadows crush). */
export function exposure(p: Pixels, ev: number): Pixels {
  const k = 2 ** ev;
  return mapLinear(p, (lin) => lin * k);
}

export function colourCast(p: Pixels, gains: readonly [number, number, number]): Pixels {
  return mapLinear(p, (lin, c) => lin * gains[c]!);
}

/** Flattens contrast toward the image's mean level (a hazy, washed-out picture). */
export function contrast(p: Pixels, factor: number): Pixels {
  const { data } = rgb(p);
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i]!;
  const mean = sum / data.length;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = clampByte(mean + factor * (data[i]! - mean));
  return { ...p, data: out };
}

/** Applies one pixel-domain degradation; codecs (jpeg, webp) are the caller's, since they need an encoder. */
export function applyPixelDegradation(p: Pixels, d: Degradation, rand: () => number): Pixels {
  switch (d.kind) {
    case 'gaussian-blur':
      return gaussianBlur(p, d.sigma);
    case 'defocus':
      return convolve(p, diskKernel(d.radius));
    case 'motion':
      return convolve(p, motionKernel(d.length, d.angle));
    case 'noise':
      return sensorNoise(p, d.gain, d.read, rand);
    case 'exposure':
      return exposure(p, d.ev);
    case 'contrast':
      return contrast(p, d.factor);
    case 'colour-cast':
      return colourCast(p, d.gains);
    case 'jpeg':
    case 'webp':
      throw new Error(`${d.kind} needs an encoder: apply it where one is available`);
  }
}
