import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../datasets.ts';
import { decodeImageFile } from '../decode-image.ts';
import { degradationFor, degrade, degradedName } from './synthetic-pairs.ts';

describe('synthetic degradations', () => {
  it('are drawn deterministically per image and seed, covering all three kinds', () => {
    const names = Array.from({ length: 60 }, (_, i) => `photo ${i}.jpg`);
    const kinds = new Set(names.map((n) => degradationFor(n, 1).kind));
    expect([...kinds].sort()).toEqual(['blur', 'jpeg', 'noise']);
    expect(degradedName('a.jpg', degradationFor('a.jpg', 1))).toBe(degradedName('a.jpg', degradationFor('a.jpg', 1)));
  });

  it.skipIf(!hasSharedData())('change the pixels of a real photo while keeping its size', async () => {
    const dir = path.join(SHARED_DATA, 'biq2021', 'images');
    const file = path.join(dir, fs.readdirSync(dir)[0]!);
    const original = await decodeImageFile(file);
    for (const d of [{ kind: 'blur', sigma: 3 }, { kind: 'noise', sigma: 20 }, { kind: 'jpeg', quality: 5 }] as const) {
      const px = await degrade(file, d, 1);
      expect([px.width, px.height]).toEqual([original.width, original.height]);
      let diff = 0;
      for (let i = 0; i < px.data.length; i++) diff += Math.abs(px.data[i]! - original.data[i]!);
      expect(diff / px.data.length, d.kind).toBeGreaterThan(1);
    }
  });
});
