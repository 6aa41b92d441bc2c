// The burst embedding measured on real photos: each BIQ2021 photo against its own copy shifted by 3-4 %
// and brightened by 6 % (a neighbouring burst frame), and against the other photos. Quick features,
// the shipped student, the default threshold.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { burstEmbedding, DEFAULT_BURSTS, groupBursts, similarity } from '../core/culling/bursts.ts';
import type { Student } from '../core/model/student.ts';
import { hasSharedData, SHARED_DATA } from './datasets.ts';
import { decodeImageFile } from './decode-image.ts';
import { JPEG_EXTENSIONS, listImageFiles } from './image-files.ts';
import { loadCliStudent } from './load-default-student.ts';

const PHOTOS = 30;

describe.skipIf(!hasSharedData())('burst embedding on real photos', () => {
  let student: Student;
  const pairs: { original: Float32Array; copy: Float32Array }[] = [];
  beforeAll(async () => {
    student = await loadCliStudent();
    const taps = student.manifest.features.taps;
    const embed = async (bytes: Uint8Array) => burstEmbedding((await student.features(await decodeImageFile(bytes), 'fast')).features, taps);
    const files = listImageFiles(`${SHARED_DATA}/biq2021/images`, { extensions: JPEG_EXTENSIONS }).filter((_, i) => i % 97 === 0).slice(0, PHOTOS);
    for (const f of files) {
      const bytes = new Uint8Array(await sharp(f).toBuffer());
      const { width = 0, height = 0 } = await sharp(f).metadata();
      const [dx, dy] = [Math.round(width * 0.04), Math.round(height * 0.03)];
      const copy = await sharp(f).extract({ left: dx, top: dy, width: width - dx, height: height - dy }).modulate({ brightness: 1.06 }).jpeg({ quality: 90 }).toBuffer();
      pairs.push({ original: await embed(bytes), copy: await embed(new Uint8Array(copy)) });
    }
  }, 240_000);

  it('puts nearly every frame with its neighbour and no two different photos together', () => {
    const same = pairs.map((p) => similarity(p.original, p.copy));
    const different = pairs.flatMap((a, i) => pairs.slice(i + 1).map((b) => similarity(a.original, b.original)));
    const joined = same.filter((s) => s >= DEFAULT_BURSTS.similarity).length;
    console.log(`burst embedding: ${joined}/${same.length} copies joined; different photos max ${Math.max(...different).toFixed(3)} over ${different.length} pairs`);
    expect(joined / same.length).toBeGreaterThanOrEqual(0.9);
    expect(different.filter((s) => s >= DEFAULT_BURSTS.similarity)).toEqual([]);
  });

  it('groups a shuffled shoot into its bursts, the best frame by score', () => {
    const frames = pairs.slice(0, 6).flatMap((p, k) => [
      { id: `${k}a`, embedding: p.original, capturedAt: k * 60_000, score: 3 },
      { id: `${k}b`, embedding: p.copy, capturedAt: k * 60_000 + 200, score: 3 + (k % 2) },
    ]);
    const bursts = groupBursts([...frames].reverse());
    const joined = bursts.filter((b) => b.ids.length === 2);
    expect(joined.length).toBeGreaterThanOrEqual(5);
    for (const b of joined) {
      const k = Number(b.ids[0]!.slice(0, -1));
      expect(b.ids).toEqual([`${k}a`, `${k}b`]);
      expect(b.best).toBe(k % 2 ? `${k}b` : `${k}a`);
    }
  });
});
