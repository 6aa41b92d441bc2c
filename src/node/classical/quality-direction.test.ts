// BRISQUE and NIQE on a real photograph: finite, in range, and worse (higher) for blurred and noised copies.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';

import { brisqueScore, loadBrisqueModel, type BrisqueModel } from './brisque.ts';
import { niqeScore, niqeScorer } from './niqe.ts';
import { greyToPlane, rgbToGrey, type Plane } from './nss-features.ts';

const SHARED_DATA = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'data');
/** A clean, sharp photo (one of BIQ2021's highest-rated). */
const PHOTO = path.join(SHARED_DATA, 'biq2021', 'images', 'ss03 (4033).jpg');
const hasPhoto = fs.existsSync(PHOTO);

function tryLoadBrisque(): BrisqueModel | string {
  try {
    return loadBrisqueModel();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function toPlane(image: Sharp): Promise<Plane> {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return greyToPlane(rgbToGrey(new Uint8Array(data), info.width, info.height, info.channels), info.width, info.height);
}

/** The photo with seeded Gaussian noise (sigma 20 grey levels) on every channel. */
async function noisedPlane(file: string): Promise<Plane> {
  const { data, info } = await sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let seed = 12345;
  const uniform = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const n = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    out[i] = Math.max(0, Math.min(255, Math.round(data[i]! + 20 * n)));
  }
  return greyToPlane(rgbToGrey(out, info.width, info.height, info.channels), info.width, info.height);
}

describe.skipIf(!hasPhoto)('classical scores on a real photo (../shared/data/biq2021)', () => {
  let original: Plane;
  let blurred: Plane;
  let noised: Plane;
  beforeAll(async () => {
    original = await toPlane(sharp(PHOTO).rotate());
    blurred = await toPlane(sharp(PHOTO).rotate().blur(2.5));
    noised = await noisedPlane(PHOTO);
  });

  // Needs OpenCV's model (Debian opencv-doc, fetched on first use); skipped with the reason where absent.
  const brisque = tryLoadBrisque();
  if (typeof brisque === 'string') console.warn(`BRISQUE test skipped: ${brisque}`);
  it.skipIf(typeof brisque === 'string')('BRISQUE is finite, in [0, 100], and higher for blurred and noised copies', () => {
    const model = brisque as BrisqueModel;
    const s0 = brisqueScore(model, original);
    const sBlur = brisqueScore(model, blurred);
    const sNoise = brisqueScore(model, noised);
    for (const s of [s0, sBlur, sNoise]) {
      expect(Number.isFinite(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(100);
    }
    expect(sBlur).toBeGreaterThan(s0 + 5);
    expect(sNoise).toBeGreaterThan(s0 + 5);
  });

  it('NIQE is finite and higher for blurred and noised copies', () => {
    const scorer = niqeScorer();
    const s0 = niqeScore(scorer, original);
    const sBlur = niqeScore(scorer, blurred);
    const sNoise = niqeScore(scorer, noised);
    for (const s of [s0, sBlur, sNoise]) expect(Number.isFinite(s)).toBe(true);
    expect(s0).toBeGreaterThan(0);
    expect(sBlur).toBeGreaterThan(s0 * 1.2);
    expect(sNoise).toBeGreaterThan(s0 * 1.2);
  });
});
