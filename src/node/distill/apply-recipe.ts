// Applies a degradation recipe to decoded pixels in Node: pixel-domain steps from the core, lossy codecs
// through sharp's real JPEG and WebP encoders (the artefacts people see, not an imitation of them).
import sharp from 'sharp';
import { applyPixelDegradation } from '../../core/degrade/pixel-ops.ts';
import type { Degradation, Recipe } from '../../core/degrade/recipes.ts';
import { mulberry32 } from '../../core/distill/random.ts';
import type { Pixels } from '../../core/model/preprocess.ts';

/** `p` through a real lossy encoder and back (sharp's JPEG or WebP). */
export async function encodeDecode(p: Pixels, d: Extract<Degradation, { kind: 'jpeg' | 'webp' }>): Promise<Pixels> {
  const raw = sharp(Buffer.from(p.data.buffer, p.data.byteOffset, p.data.length), { raw: { width: p.width, height: p.height, channels: p.channels } });
  const encoded = await (d.kind === 'jpeg' ? raw.jpeg({ quality: d.quality }) : raw.webp({ quality: d.quality })).toBuffer();
  const { data, info } = await sharp(encoded).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

export async function applyRecipe(p: Pixels, recipe: Recipe, seed: number): Promise<Pixels> {
  const rand = mulberry32(seed);
  let cur = p;
  for (const step of recipe.steps) {
    cur = step.kind === 'jpeg' || step.kind === 'webp' ? await encodeDecode(cur, step) : applyPixelDegradation(cur, step, rand);
  }
  return cur;
}
