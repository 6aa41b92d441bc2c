// Full-resolution detail. A 12-60 MP photo seen whole at 512 px hides a missed focus or high-ISO noise:
// at that scale a 1.5 px blur is a fifth of a pixel. So, when the image is much larger than the global
// view, a few patches are also cut at 1:1 pixels where the detail is (highest local contrast: where focus
// and noise show) and their features are blended with the global view's.
import type { Pixels } from './preprocess.ts';

export interface DetailSpec {
  /** How many 1:1 patches to look at. */
  readonly count: number;
  /** Patch side in pixels. */
  readonly size: number;
  /** Share of the patches in the blended features (the global view keeps 1 - weight). */
  readonly weight: number;
  /** Patches are cut only when the image's longest side exceeds this many times the global view's size. */
  readonly minScale: number;
}

export interface PatchBox {
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** Mean absolute luma gradient inside the box (what ranked it). */
  readonly contrast: number;
}

export function wantsPatches(p: Pick<Pixels, 'width' | 'height'>, globalSize: number, spec: DetailSpec): boolean {
  return Math.max(p.width, p.height) > spec.minScale * globalSize && Math.min(p.width, p.height) >= spec.size;
}

const luma = (d: ArrayLike<number>, i: number) => 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;

/**
 * The `count` non-overlapping cells of a size x size grid (centred on the image) with the highest local
 * contrast, best first. Contrast is sampled every other pixel: ranking cells needs no more.
 */
export function pickPatches(p: Pixels, spec: Pick<DetailSpec, 'count' | 'size'>): PatchBox[] {
  const { width: W, height: H, channels: c, data } = p;
  const s = spec.size;
  const cols = Math.floor(W / s);
  const rows = Math.floor(H / s);
  const x0 = Math.floor((W - cols * s) / 2);
  const y0 = Math.floor((H - rows * s) / 2);
  const boxes: PatchBox[] = [];
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const bx = x0 + q * s;
      const by = y0 + r * s;
      let sum = 0;
      let n = 0;
      for (let y = by; y < by + s - 2; y += 2) {
        for (let x = bx; x < bx + s - 2; x += 2) {
          const i = (y * W + x) * c;
          const here = luma(data, i);
          sum += Math.abs(luma(data, i + 2 * c) - here) + Math.abs(luma(data, i + 2 * W * c) - here);
          n++;
        }
      }
      boxes.push({ x: bx, y: by, size: s, contrast: n ? sum / n : 0 });
    }
  }
  // Ties (flat images) keep reading order, so the choice is deterministic.
  return boxes
    .map((b, i) => ({ b, i }))
    .sort((a, b) => b.b.contrast - a.b.contrast || a.i - b.i)
    .slice(0, spec.count)
    .map(({ b }) => b);
}

/** Packed RGB crop of one box (alpha dropped). */
export function cropRgb(p: Pixels, box: Pick<PatchBox, 'x' | 'y' | 'size'>): Pixels {
  const { width: W, channels: c, data } = p;
  const out = new Uint8Array(box.size * box.size * 3);
  for (let y = 0; y < box.size; y++) {
    const src = ((box.y + y) * W + box.x) * c;
    const dst = y * box.size * 3;
    if (c === 3) out.set(data.subarray(src, src + box.size * 3), dst);
    else for (let x = 0; x < box.size; x++) {
      out[dst + 3 * x] = data[src + c * x]!;
      out[dst + 3 * x + 1] = data[src + c * x + 1]!;
      out[dst + 3 * x + 2] = data[src + c * x + 2]!;
    }
  }
  return { data: out, width: box.size, height: box.size, channels: 3 };
}

/** (1 - weight) * global + weight * mean(patches), as a new array (global alone when there are no patches). */
export function blendFeatures(global: Float32Array, patches: readonly Float32Array[], weight: number): Float32Array {
  if (patches.length === 0) return global;
  const out = new Float32Array(global.length);
  const w = weight / patches.length;
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (const f of patches) s += f[i]!;
    out[i] = (1 - weight) * global[i]! + w * s;
  }
  return out;
}
