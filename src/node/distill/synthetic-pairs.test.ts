import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recipesFor } from '../../core/degrade/recipes.ts';
import { hasSharedData, SHARED_DATA } from '../datasets.ts';
import { decodeImageFile } from '../decode-image.ts';
import { applyRecipe } from './apply-recipe.ts';
import { degradedName } from './synthetic-pairs.ts';

const meanAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i]! - b[i]!);
  return d / a.length;
};

describe('synthetic degradations of photos', () => {
  it('name each copy by photo and recipe', () => {
    const [mild, strong] = recipesFor('a.jpg', 1);
    expect(degradedName('a.jpg', mild)).toMatch(/^a\.jpg#mild:/);
    expect(degradedName('a.jpg', strong)).not.toBe(degradedName('a.jpg', mild));
  });

  it.skipIf(!hasSharedData())('change a real photo more in the strong copy than in the mild one, codecs included', async () => {
    const dir = path.join(SHARED_DATA, 'biq2021', 'images');
    const file = path.join(dir, fs.readdirSync(dir)[0]!);
    const original = await decodeImageFile(file);
    const recipes = [
      ...recipesFor('x.jpg', 1),
      { id: 'jpeg', severity: 'strong' as const, steps: [{ kind: 'jpeg' as const, quality: 5 }] },
      { id: 'webp', severity: 'strong' as const, steps: [{ kind: 'webp' as const, quality: 5 }] },
    ];
    const diffs = [];
    for (const r of recipes) {
      const px = await applyRecipe(original, r, 1);
      expect([px.width, px.height, px.channels]).toEqual([original.width, original.height, 3]);
      diffs.push(meanAbsDiff(px.data, original.data));
    }
    expect(diffs[0]).toBeGreaterThan(0.2);
    expect(diffs[1]).toBeGreaterThan(diffs[0]!);
    expect(diffs[2]).toBeGreaterThan(1);
    expect(diffs[3]).toBeGreaterThan(1);
  });
});
