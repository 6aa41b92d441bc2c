// The real high-resolution photographs the detail bench and e2e test use (scripts/fetch-photos.sh puts them
// in .cache/photos/hires from Debian's lomiri wallpaper packages), and the mild damage they are tested
// against: a 1.5 px blur and light sensor noise at full size, both invisible at 512 px.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { sensorNoise } from '../core/degrade/pixel-ops.ts';
import { mulberry32 } from '../core/distill/random.ts';
import { REPO_ROOT } from './model-dir.ts';

export const HIRES_DIR = path.join(REPO_ROOT, '.cache', 'photos', 'hires');

/** The photos, largest first (the first four are 12 MP or more). */
export const HIRES_PHOTOS = [
  'Kleiber_by_Lukas_Baubkus.jpg',
  'seeding_by_Clements_Engelhardt.jpg',
  'Dragonfly_by_Bolly.jpg',
  'sunset_by_Aitzol_Berasategi.jpg',
  'Bridge_by_Sander_Klootwijk.jpg',
  'Wine_by_Jakkub_Mede.jpg',
  'picosdeeuropa_by_Aitzol_Berasategi.jpg',
  'life_by_Aitzol_Berasategi.jpg',
  'aitzgorri_by_Aitzol_Berasategi.jpg',
  'friends_by_Aitzol_Berasategi.jpg',
] as const;

export function hiresPhotosPresent(): boolean {
  return HIRES_PHOTOS.every((f) => fs.existsSync(path.join(HIRES_DIR, f)));
}

export const MILD_BLUR_SIGMA = 1.5;
/** Light Poisson-Gaussian noise: about 4 levels of 255 in mid-grey, 6 in the shadows (below KADID-10k's mildest white noise). */
export const MILD_NOISE = { gain: 0.001, read: 0.003 } as const;

export type Variant = 'original' | 'blur' | 'noise';

/**
 * The photo and its mildly damaged copies at full size (`kinds`, default all), each written as JPEG q95 so
 * every variant goes through the same encoder and only the damage differs.
 */
export async function hiresVariants<K extends Variant>(file: string, kinds: readonly K[] = ['original', 'blur', 'noise'] as K[]): Promise<Record<K, Buffer>> {
  const { data, info } = await sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: 3 as const } };
  const make: Record<Variant, () => Promise<Buffer>> = {
    original: () => sharp(data, raw).jpeg({ quality: 95 }).toBuffer(),
    blur: () => sharp(data, raw).blur(MILD_BLUR_SIGMA).jpeg({ quality: 95 }).toBuffer(),
    noise: () => {
      const px = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 as const };
      const noisy = sensorNoise(px, MILD_NOISE.gain, MILD_NOISE.read, mulberry32(7));
      return sharp(new Uint8Array(noisy.data.buffer, noisy.data.byteOffset, noisy.data.length), raw).jpeg({ quality: 95 }).toBuffer();
    },
  };
  const out = {} as Record<K, Buffer>;
  for (const k of kinds) out[k] = await make[k]();
  return out;
}
