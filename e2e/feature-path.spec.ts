// One feature path: the same file gives the same score in Chromium (the app's worker) and in Node
// (`leaf score`), in every mode, including a large photo that Detail mode shrinks and cuts 1:1 patches from,
// a HEIC (libheif in wasm on both sides) and a portrait RAW file (its embedded preview, turned upright).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { encodeHeic, heifEncAvailable, NO_HEIF_ENC } from './fixtures/heic.ts';
import { AGIQA_DIR, hasData, NO_DATA_MESSAGE, realImages, tempDir } from './fixtures/images.ts';
import { tiffRaw } from './fixtures/raw-containers.ts';
import { expect, test } from './fixtures/leaf-test.ts';
import { HIRES_DIR, hiresPhotosPresent } from '../src/node/hires-photos.ts';

test.skip(!hasData(), NO_DATA_MESSAGE);

function cliScores(files: readonly string[], mode: string): Map<string, { score: number; detailPatches: number }> {
  const r = spawnSync(process.execPath, ['bin/leaf.mjs', 'score', ...files, '--mode', mode, '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { images: { name: string; score: number; detailPatches: number }[] };
  return new Map(out.images.map((i) => [i.name, i]));
}

for (const mode of ['fast', 'accurate'] as const) {
  test(`Chromium and Node give the same scores in ${mode} mode`, async ({ leaf, page }) => {
    test.setTimeout(300_000);
    const files = [...realImages(2, 300), ...realImages(1, 0, AGIQA_DIR)];
    // A 3264x2448 photo (no decoder downscale in either runtime): shrunk before the model, and in Detail mode cut into patches.
    const large = path.join(HIRES_DIR, 'picosdeeuropa_by_Aitzol_Berasategi.jpg');
    if (hiresPhotosPresent()) files.push(large);
    else test.info().annotations.push({ type: 'note', description: 'high-resolution photos absent (scripts/fetch-photos.sh): large-photo case skipped' });
    const dir = tempDir('feature-path');
    const [other] = realImages(1, 1200);
    if (heifEncAvailable()) files.push(encodeHeic(other!, 'phone.heic', dir));
    else test.info().annotations.push({ type: 'note', description: NO_HEIF_ENC });
    const preview = new Uint8Array(await sharp(other!).resize(1024, 768, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer());
    files.push(path.join(dir, 'portrait.NEF'));
    fs.writeFileSync(files.at(-1)!, tiffRaw({ kind: 'nef', preview, orientation: 8, bigEndian: true }));
    await leaf.open();
    await page.getByTestId(`mode-${mode}`).click();
    await leaf.addFiles(files);
    const state = await leaf.waitSettled(files.length);
    const node = cliScores(files, mode);
    for (const img of state.images) {
      expect(img.status, img.name).toBe('scored');
      expect(img.mode).toBe(mode);
      const n = node.get(img.name)!;
      expect(Math.abs(img.raw! - n.score), `${img.name}: Chromium ${img.raw} vs Node ${n.score}`).toBeLessThan(1e-4);
      expect(img.patches, img.name).toBe(n.detailPatches);
    }
    if (fs.existsSync(large) && mode === 'accurate') expect(state.images.find((i) => i.name === path.basename(large))!.patches).toBe(4);
    expect(state.images.find((i) => i.name === 'portrait.NEF')).toMatchObject({ width: 768, height: 1024 });
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
