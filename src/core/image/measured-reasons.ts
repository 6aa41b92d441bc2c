// Plain-words reasons that are measured on the file, never guessed from the model: clipped highlights or
// shadows (counted pixels), strong JPEG compression (the quantisation table the file was saved with,
// matched against the IJG quality scale) and, in a large photo, noise at 1:1 that the whole view hides
// (noise-level.ts, the measure the Detail head weighs). Blur is left to the quality map: no measure here
// separates it from a soft subject reliably enough to name it.
import type { Pixels } from '../model/preprocess.ts';

export interface MeasuredReason {
  readonly kind: 'highlights' | 'shadows' | 'compression' | 'noise';
  readonly text: string;
  /** The measurement behind the text (a fraction of pixels, the estimated JPEG quality, or noise in levels of 255). */
  readonly value: number;
}

/** A share of pure-white (or pure-black) pixels above this is named. */
export const CLIPPED_SHARE = 0.03;
/** JPEG quality below this is named. */
export const LOW_JPEG_QUALITY = 70;
/** Unseen noise (luma levels of 255) from this up is named. */
export const UNSEEN_NOISE_LEVELS = 0.5;

/** Shares of pixels with every channel >= 250 (blown) and <= 5 (crushed), on at most ~1 M sampled pixels. */
export function clippedShares(p: Pixels): { highlights: number; shadows: number } {
  const n = p.width * p.height;
  const step = Math.max(1, Math.floor(n / 1_000_000));
  let high = 0;
  let low = 0;
  let seen = 0;
  for (let i = 0; i < n; i += step) {
    const at = i * p.channels;
    const [r, g, b] = [p.data[at]!, p.data[at + 1]!, p.data[at + 2]!];
    if (r >= 250 && g >= 250 && b >= 250) high++;
    else if (r <= 5 && g <= 5 && b <= 5) low++;
    seen++;
  }
  return { highlights: high / seen, shadows: low / seen };
}

// The IJG (libjpeg) luminance table at quality 50, in zigzag order as DQT stores it.
const IJG_LUMA = [
  16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81,
  87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
];

/** The luminance quantisation table (DQT id 0, zigzag order) of a JPEG, from its first bytes; null if none. */
export function jpegLumaTable(b: Uint8Array): number[] | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    const len = (b[at + 2]! << 8) | b[at + 3]!;
    if (marker === 0xda || marker === 0xd9) return null;
    if (marker === 0xdb) {
      let q = at + 4;
      while (q < at + 2 + len) {
        const precision = b[q]! >> 4;
        const id = b[q]! & 0x0f;
        const size = precision ? 128 : 64;
        if (q + 1 + size > b.length) return null;
        if (id === 0) return Array.from({ length: 64 }, (_, i) => (precision ? (b[q + 1 + 2 * i]! << 8) | b[q + 2 + 2 * i]! : b[q + 1 + i]!));
        q += 1 + size;
      }
    }
    at += 2 + len;
  }
  return null;
}

/** The IJG quality (1-100) whose luminance table is closest to `table`. */
export function estimateJpegQuality(table: readonly number[]): number {
  let best = 50;
  let bestErr = Infinity;
  for (let q = 1; q <= 100; q++) {
    const scale = q < 50 ? 5000 / q : 200 - 2 * q;
    let err = 0;
    for (let i = 0; i < 64; i++) err += Math.abs(Math.min(255, Math.max(1, Math.floor((IJG_LUMA[i]! * scale + 50) / 100))) - table[i]!);
    if (err < bestErr) [best, bestErr] = [q, err];
  }
  return best;
}

/** The reasons the measurements support (none when nothing stands out); `unseenNoise` as measureUnseenNoise gives it. */
export function measuredReasons(pixels: Pixels, fileHead: Uint8Array, unseenNoise = 0): MeasuredReason[] {
  const out: MeasuredReason[] = [];
  const { highlights, shadows } = clippedShares(pixels);
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (highlights > CLIPPED_SHARE) out.push({ kind: 'highlights', value: highlights, text: `Blown highlights: ${pct(highlights)} of the image is pure white` });
  if (shadows > CLIPPED_SHARE) out.push({ kind: 'shadows', value: shadows, text: `Crushed shadows: ${pct(shadows)} of the image is pure black` });
  const table = jpegLumaTable(fileHead);
  if (table) {
    const quality = estimateJpegQuality(table);
    if (quality < LOW_JPEG_QUALITY) out.push({ kind: 'compression', value: quality, text: `Strong JPEG compression: saved at about quality ${quality} of 100` });
  }
  if (unseenNoise >= UNSEEN_NOISE_LEVELS) {
    out.push({ kind: 'noise', value: unseenNoise, text: `Noise at 100%: about ${unseenNoise.toFixed(1)} levels of 255 in the smooth areas, hidden when the photo is seen whole` });
  }
  return out;
}
