// The corpus is what it claims to be: each hostile or unusual file really has the property it is named for,
// and the same sources give the same bytes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../core/image/image-header.ts';
import { hasSharedData } from '../datasets.ts';
import { ensureCorpus, FUZZ_CATEGORIES } from './corpus.ts';

describe.skipIf(!hasSharedData())('fuzz corpus', () => {
  it('covers every category, deterministically, with files that have the named property', async () => {
    const [a, b] = [fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-fuzz-')), fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-fuzz-'))].map((d) => path.join(d, 'corpus'));
    const corpus = await ensureCorpus(a!);
    await ensureCorpus(b!);
    const hash = (dir: string) => {
      const h = crypto.createHash('sha256');
      for (const n of fs.readdirSync(dir).sort()) h.update(n).update(fs.readFileSync(path.join(dir, n)));
      return h.digest('hex');
    };
    expect(hash(a!)).toBe(hash(b!));
    for (const c of FUZZ_CATEGORIES) expect(corpus.entries.filter((e) => e.category === c).length, c).toBeGreaterThan(0);
    expect(corpus.entries.filter((e) => e.category === 'truncated')).toHaveLength(8 * 16);

    const file = (n: string) => fs.readFileSync(path.join(a!, n));
    const meta = (n: string) => sharp(file(n), { animated: true }).metadata();
    expect(sniffImage(file('bomb-png-50000x50000.png'))).toMatchObject({ format: 'png', width: 50_000, height: 50_000 });
    expect(sniffImage(file('bomb-jpeg-50000x50000.jpg'))).toMatchObject({ format: 'jpeg', width: 50_000, height: 50_000 });
    const ycck = file('ycck.jpg');
    expect(ycck[ycck.indexOf('Adobe') + 11]).toBe(2); // APP14 transform 2 = YCCK
    expect((await meta('ycck.jpg')).space).toBe('cmyk');
    expect((await meta('cmyk-sharp.jpg')).space).toBe('cmyk');
    expect((await meta('rgb16.png')).depth).toBe('ushort');
    expect(file('palette.png')[25]).toBe(3); // IHDR colour type 3 = palette
    expect(file('grey-alpha.png')[25]).toBe(4); // colour type 4 = grey + alpha
    expect((await meta('animated.gif')).pages).toBe(4);
    expect((await meta('animated.webp')).pages).toBe(4);
    expect(file('animated.png').includes('acTL')).toBe(true);
    expect(file('animated.avif').includes('moov')).toBe(true);
    expect(await meta('1x10000.png')).toMatchObject({ width: 1, height: 10_000 });
    expect(file('empty.jpg')).toHaveLength(0);
    // The YCCK file decodes to the picture, not to noise: close to libvips' own CMYK file of the same image.
    const rgb = async (n: string) => sharp(file(n)).toColourspace('srgb').removeAlpha().raw().toBuffer();
    const [x, y] = await Promise.all([rgb('ycck.jpg'), rgb('cmyk-sharp.jpg')]);
    let diff = 0;
    for (let i = 0; i < x.length; i++) diff += Math.abs(x[i]! - y[i]!);
    expect(diff / x.length).toBeLessThan(12);
    for (const d of [a!, b!]) fs.rmSync(path.dirname(d), { recursive: true, force: true });
  }, 60_000);
});
