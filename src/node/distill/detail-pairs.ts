// Full-resolution pairs for the Detail head. In the Detail view a 12-60 MP photo is seen whole at 512 px
// plus 1:1 patches; at 1:1 a large file's pixels are soft, and mild sensor noise there reads to the
// ImageNet backbone like fine texture (bench:detail: the shipped head scored 4 of 10 noisy copies above
// their originals, while it ranks the same noise correctly on 512 px photos). Nothing in training showed
// the head such patches: BIQ2021's photos are 512 px, so none is cut. These pairs do: each training photo
// is enlarged 2.5x (to ~1280 px, so the Detail view cuts its 1:1 patches), and the enlarged photo, a copy
// with mild shadow noise and a copy with a mild blur, all JPEG q95, go through the one feature path;
// clean > noisy and clean > blurred. Strengths are drawn per photo, seeded by its name. Put into the head's
// own training these pairs bent it (README: a ninth photo never came, photo ranking paid); what they train
// by default is the weight of the 'unseen-noise' measure (measure-weight.ts), the one thing they teach.
import path from 'node:path';
import sharp from 'sharp';
import { gaussianBlur, sensorNoise } from '../../core/degrade/pixel-ops.ts';
import { mulberry32 } from '../../core/distill/random.ts';
import { DEFAULT_TAPS, featureLength, imageFeatures, measureUnseenNoise } from '../../core/model/features.ts';
import type { Pixels } from '../../core/model/preprocess.ts';
import { decodeImageFile } from '../decode-image.ts';
import { FeatureStore } from '../feature-store.ts';
import { encodeDecode } from './apply-recipe.ts';
import type { SyntheticOptions } from './synthetic-pairs.ts';

/** Bump when the recipe changes, so old cached copies are not mixed in. */
export const DETAIL_PAIRS_VERSION = 1;
/** How sure "clean beats its mildly damaged copy" is: mild damage can be near-invisible on a soft photo. */
export const DETAIL_PAIR_PREFERENCE = 0.9;
/** Enlargement that makes a 512 px photo large enough for the Detail view's patches (> 2 x 512 px). */
export const ENLARGE = 2.5;

export interface DetailPhoto {
  readonly clean: string;
  readonly noisy: string;
  readonly blurred: string;
}

/** As for the synthetic copies; `resize` is the Detail mode's spec (with its detail patches). */
export type DetailPairOptions = SyntheticOptions;

/** Per photo: a mild noise (gain 0.0005-0.003, read 0.002-0.005 in linear light) and a mild blur (sigma 1-2 px at full size). */
export function detailRecipe(name: string, seed: number): { gain: number; read: number; sigma: number } {
  let h = seed ^ 0x85ebca6b;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 2654435761);
  const rand = mulberry32(h >>> 0);
  return { gain: 0.0005 + 0.0025 * rand(), read: 0.002 + 0.003 * rand(), sigma: 1 + rand() };
}

const asPixels = (data: Buffer, width: number, height: number): Pixels => ({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height, channels: 3 });

/** As the bench's photos are saved: JPEG q95, through the same encoder as the synthetic copies. */
const jpeg95 = (p: Pixels) => encodeDecode(p, { kind: 'jpeg', quality: 95 });

/**
 * Extracts (or resumes) the three variants of every photo: their backbone features (`store`) and their
 * unseen noise (`noise`, one value per row, kept apart so features cached before it need no new backbone
 * pass); a photo that cannot be read is skipped.
 */
export async function detailDegradations(o: DetailPairOptions): Promise<{ store: FeatureStore; noise: FeatureStore; photos: DetailPhoto[] }> {
  const store = new FeatureStore(o.storeBase, featureLength(DEFAULT_TAPS));
  const noise = new FeatureStore(`${o.storeBase}-unseen-noise`, 1);
  const photos: DetailPhoto[] = [];
  let done = 0;
  const complete = (n: string) => store.done.has(n) && noise.done.has(n);
  for (const img of o.images) {
    const names = { clean: `${img.name}#x${ENLARGE}`, noisy: `${img.name}#x${ENLARGE}+noise`, blurred: `${img.name}#x${ENLARGE}+blur` };
    if (!Object.values(names).every(complete)) {
      try {
        const photo = await decodeImageFile(img.path, img.name);
        const { data, info } = await sharp(Buffer.from(photo.data.buffer, photo.data.byteOffset, photo.data.length), { raw: { width: photo.width, height: photo.height, channels: photo.channels } })
          .removeAlpha()
          .resize(Math.round(photo.width * ENLARGE), Math.round(photo.height * ENLARGE), { kernel: 'cubic' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        const large = asPixels(data, info.width, info.height);
        const r = detailRecipe(img.name, o.seed);
        const variants: Record<keyof DetailPhoto, () => Pixels> = {
          clean: () => large,
          noisy: () => sensorNoise(large, r.gain, r.read, mulberry32(o.seed ^ img.name.length)),
          blurred: () => gaussianBlur(large, r.sigma),
        };
        for (const k of Object.keys(names) as (keyof DetailPhoto)[]) {
          if (complete(names[k])) continue;
          const px = await jpeg95(variants[k]());
          let measured: number | undefined;
          if (!store.done.has(names[k])) {
            const f = await imageFeatures(o.backbone, px, o.resize, DEFAULT_TAPS);
            store.append(names[k], f.features);
            measured = f.unseenNoise;
          }
          if (!noise.done.has(names[k])) noise.append(names[k], Float32Array.of(measured ?? measureUnseenNoise(px, o.resize)));
        }
      } catch {
        // An unreadable photo simply contributes no detail pairs.
      }
    }
    if (Object.values(names).every(complete)) photos.push(names);
    o.onProgress?.(++done, o.images.length);
  }
  return { store, noise, photos };
}

export const detailStoreBase = (featureCache: string, dataset: string) => path.join(featureCache, `${dataset}-accurate-detail-v${DETAIL_PAIRS_VERSION}`);
