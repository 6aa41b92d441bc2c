// Refits src/node/classical/niqe-pristine-model.json: NIQE's pristine MVG from photographs shipped in Debian
// packages (fetched with apt-get download into .cache/debian on first use; only the fitted statistics are
// committed, never the photos). Usage: npx tsx scripts/fit-niqe.ts [--out FILE]
//
// The list below was picked by eye: real photographs only (no renders, vector art, scientific images),
// one copy of each picture. Licences are from each package's debian/copyright (or metadata.json).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureDebianPackage } from '../src/node/classical/debian-packages.ts';
import { NIQE_FEATURES, NIQE_PATCH_SIZE, NIQE_SHARPNESS_THRESHOLD, fitMvg, sharpPatchFeatures, type NiqeModel } from '../src/node/classical/niqe.ts';
import { decodeGrey, greyToPlane } from '../src/node/classical/nss-features.ts';

interface Source {
  readonly pkg: string;
  readonly licence: string;
  readonly dir: string;
  readonly files: readonly string[];
}

const SOURCES: readonly Source[] = [
  {
    pkg: 'mate-backgrounds',
    licence: 'GPL-2+',
    dir: 'usr/share/backgrounds/mate/nature',
    files: ['Garden.jpg', 'Dune.jpg', 'Wood.jpg', 'Aqua.jpg', 'TwoWings.jpg', 'Storm.jpg', 'GreenMeadow.jpg', 'RainDrops.jpg', 'Blinds.jpg', 'FreshFlower.jpg', 'LadyBird.jpg', 'YellowFlower.jpg'],
  },
  {
    pkg: 'plasma-workspace-wallpapers',
    licence: 'LGPL-3 (metadata.json) / GPL-2+ (debian/copyright)',
    dir: 'usr/share/wallpapers',
    files: [
      'FallenLeaf/contents/images/2560x1600.jpg',
      'Path/contents/images/2560x1600.jpg',
      'DarkestHour/contents/images/2560x1600.jpg',
      'summer_1am/contents/images/2560x1600.jpg',
      'EveningGlow/contents/images/2560x1600.jpg',
      'Grey/contents/images/2560x1600.jpg',
      'Kite/contents/images/2560x1600.jpg',
      'ColorfulCups/contents/images/2560x1600.jpg',
      'OneStandsOut/contents/images/2560x1600.jpg',
      'ColdRipple/contents/images/2560x1600.jpg',
      'BytheWater/contents/images/2560x1600.jpg',
    ],
  },
  {
    pkg: 'lomiri-wallpapers-16.04',
    licence: 'CC-BY-4.0 / CC-BY-SA-4.0 / CC0-1.0 per file',
    dir: 'usr/share/backgrounds',
    files: [
      'Picture_1A_by_freespace.jpg',
      'Wine_by_Jakkub_Mede.jpg',
      'seeding_by_Clements_Engelhardt.jpg',
      'aitzgorri_by_Aitzol_Berasategi.jpg',
      'Dragonfly_by_Bolly.jpg',
      'friends_by_Aitzol_Berasategi.jpg',
      'sunset_by_Aitzol_Berasategi.jpg',
      'free_by_Peter_Nerlich.jpg',
      'picosdeeuropa_by_Aitzol_Berasategi.jpg',
      'Picture_0B_by_freespace.jpg',
      'life_by_Aitzol_Berasategi.jpg',
      'Bridge_by_Sander_Klootwijk.jpg',
    ],
  },
  {
    pkg: 'python3-skimage',
    licence: 'CC0 / public domain per image (skimage/data/_fetchers.py docstrings)',
    dir: 'usr/lib/python3/dist-packages/skimage/data',
    files: ['coffee.png', 'camera.png', 'astronaut.png', 'motorcycle_left.png', 'rocket.jpg', 'chelsea.png', 'coins.png', 'gravel.png', 'brick.png', 'grass.png'],
  },
  {
    pkg: 'darknet',
    licence: 'GPL-3.0+ or MIT or WTFPL (debian/copyright, Files: *)',
    dir: 'usr/share/darknet/data',
    files: ['eagle.jpg', 'kite.jpg', 'dog.jpg', 'giraffe.jpg', 'person.jpg', 'horses.jpg'],
  },
  {
    pkg: 'libjxl-testdata',
    licence: 'BSD-3-clause (jxl/*), CC0 (external/wesaturate/*)',
    dir: 'usr/share/libjxl-testdata',
    files: [
      'jxl/flower/flower.png',
      'jxl/hdr_room.png',
      'external/wesaturate/500px/tmshre_riaphotographs_srgb8.png',
      'external/wesaturate/500px/cvo9xd_keong_macan_srgb8.png',
      'external/wesaturate/500px/u76c0g_bliznaca_srgb8.png',
    ],
  },
];

/**
 * Each photo is used at two sizes (shorter side <= 512 and <= 768, never enlarged): the test images are
 * 512 px downscaled photos, and two sizes give more sharp patches and some robustness to scale.
 */
const SHORT_SIDES = [512, 768] as const;

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
const DEFAULT_OUT = path.join(PROJECT_ROOT, 'src/node/classical/niqe-pristine-model.json');

async function main(): Promise<void> {
  const outIdx = process.argv.indexOf('--out');
  const out = outIdx > 0 ? process.argv[outIdx + 1]! : DEFAULT_OUT;
  const samples: Float64Array[] = [];
  const used: { pkg: string; version: string; licence: string; files: string[] }[] = [];
  for (const src of SOURCES) {
    const root = ensureDebianPackage(src.pkg);
    const version = debVersion(src.pkg);
    for (const file of src.files) {
      const full = path.join(root, src.dir, file);
      let kept = 0;
      let previous = 0;
      for (const side of SHORT_SIDES) {
        const g = await decodeGrey(full, { maxShortSide: side });
        // A small photo comes out the same at both sizes: count it once.
        if (Math.min(g.width, g.height) === previous) continue;
        previous = Math.min(g.width, g.height);
        const patches = sharpPatchFeatures(greyToPlane(g.data, g.width, g.height));
        samples.push(...patches);
        kept += patches.length;
      }
      process.stderr.write(`${src.pkg}/${file}: ${kept} sharp patches\n`);
    }
    used.push({ pkg: src.pkg, version, licence: src.licence, files: src.files.map((f) => path.posix.join(src.dir, f)) });
  }
  const mvg = fitMvg(samples, NIQE_FEATURES);
  const round = (v: number) => Number(v.toPrecision(9));
  const cov: number[][] = [];
  for (let i = 0; i < NIQE_FEATURES; i++) cov.push(Array.from(mvg.cov.subarray(i * NIQE_FEATURES, (i + 1) * NIQE_FEATURES), round));
  const model: NiqeModel = {
    kind: 'niqe-pristine-mvg',
    patchSize: NIQE_PATCH_SIZE,
    mean: Array.from(mvg.mean, round),
    cov,
    meta: {
      description:
        'NIQE pristine multivariate Gaussian fitted by LEAF (scripts/fit-niqe.ts): 36 NSS features per 96x96 patch ' +
        '(18 at full scale, 18 at half scale; NIQE parameterisation), patches with sharpness > 0.75 x the image maximum.',
      patches: samples.length,
      images: used.reduce((n, u) => n + u.files.length, 0),
      shortSides: SHORT_SIDES,
      sharpnessThreshold: NIQE_SHARPNESS_THRESHOLD,
      greyscale: 'OpenCV BT.601 fixed point',
      resize: 'sharp lanczos3 to the short side, never enlarged',
      sources: used,
      note: 'Only these statistics are distributed; the photographs stay in their Debian packages.',
    },
  };
  fs.writeFileSync(out, `${JSON.stringify(model, null, 1)}\n`);
  process.stderr.write(`wrote ${out}: ${samples.length} patches from ${model.meta!.images} photos\n`);
}

function debVersion(pkg: string): string {
  const dir = path.dirname(ensureDebianPackage(pkg));
  const deb = fs.readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  return deb ? decodeURIComponent(deb.slice(pkg.length + 1).replace(/_[^_]+\.deb$/, '')) : 'unknown';
}

await main();
