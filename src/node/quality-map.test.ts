// The quality map points at the damaged part of a real photo: blurring the left half lowers the left cells
// against the right ones (compared with the same photo intact, so content does not decide), in at least 8 of
// 10 photos; the test prints every shift.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Student } from '../core/model/student.ts';
import { hasSharedData, SHARED_DATA } from './datasets.ts';
import { decodeImageFile } from './decode-image.ts';
import { JPEG_EXTENSIONS, listImageFiles } from './image-files.ts';
import { loadCliStudent } from './load-default-student.ts';

/** The photo with its left half replaced by a damaged copy. */
type Image = ReturnType<typeof sharp>;
async function halfDamaged(file: string, damage: (s: Image) => Image): Promise<Uint8Array> {
  const { width = 0, height = 0 } = await sharp(file).metadata();
  const left = await damage(sharp(file).extract({ left: 0, top: 0, width: Math.floor(width / 2), height })).toBuffer();
  return new Uint8Array(await sharp(file).composite([{ input: left, left: 0, top: 0 }]).png().toBuffer());
}

describe.skipIf(!hasSharedData())('quality map', () => {
  let student: Student;
  let photos: string[];
  beforeAll(async () => {
    student = await loadCliStudent();
    photos = listImageFiles(`${SHARED_DATA}/biq2021/images`, { extensions: JPEG_EXTENSIONS }).filter((_, i) => i % 301 === 0).slice(0, 10);
  }, 60_000);

  const leftMinusRight = async (bytes: Uint8Array) => {
    const map = await student.qualityMap(await decodeImageFile(bytes));
    expect(map.scores).toHaveLength(map.rows * map.cols);
    const half = map.cols / 2;
    const mean = (cols: (c: number) => boolean) => {
      const xs = map.scores.filter((_, i) => cols(i % map.cols));
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    return mean((c) => c < half) - mean((c) => c >= half);
  };

  it('lowers the cells of a blurred half against the intact half, in at least 8 of 10 photos', async () => {
    const shifts: number[] = [];
    for (const p of photos) {
      const intact = await leftMinusRight(new Uint8Array(await sharp(p).png().toBuffer()));
      shifts.push((await leftMinusRight(await halfDamaged(p, (s) => s.blur(4).png()))) - intact);
    }
    console.log(`quality map: left-right shift after blurring the left half: ${shifts.map((x) => x.toFixed(2)).join(', ')}`);
    expect(shifts.filter((x) => x < 0).length).toBeGreaterThanOrEqual(8);
    expect([...shifts].sort((a, b) => a - b)[Math.floor(shifts.length / 2)]!).toBeLessThan(-0.1);
  }, 180_000);
  it('gives a 4-cell long side with about square cells', async () => {
    const map = await student.qualityMap(await decodeImageFile(photos[0]!));
    expect([map.rows, map.cols]).toEqual([4, 4]); // BIQ2021 photos are square
  });
});
