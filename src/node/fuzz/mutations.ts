// Deterministic damage to a file's bytes: truncation points and seeded bit flips. Pure.
import { mulberry32 } from '../../core/distill/random.ts';

/** A small seeded PRNG: the same seed gives the same corpus on every machine. */
export const seededRandom = mulberry32;

/**
 * 16 lengths to cut a file of `size` bytes at: inside the signature, inside the first headers and tables, and
 * at a quarter, half, three quarters and one byte short of the end. Distinct and ascending for size >= 2048.
 */
export function truncationPoints(size: number): number[] {
  const fixed = [1, 2, 3, 4, 8, 12, 16, 24, 32, 64, 128, 512];
  const relative = [Math.floor(size / 4), Math.floor(size / 2), Math.floor((3 * size) / 4), size - 1];
  const points = [...new Set([...fixed, ...relative].filter((n) => n > 0 && n < size))].sort((a, b) => a - b);
  return points.slice(0, 16);
}

/** A copy of `bytes` with `count` bits flipped at seeded positions in [from, to). */
export function flipBits(bytes: Uint8Array, count: number, seed: number, from = 0, to = bytes.length): Buffer {
  const out = Buffer.from(bytes);
  const rand = seededRandom(seed);
  const span = Math.max(1, Math.min(to, out.length) - from);
  for (let i = 0; i < count; i++) {
    const at = from + Math.floor(rand() * span);
    out[at]! ^= 1 << Math.floor(rand() * 8);
  }
  return out;
}
