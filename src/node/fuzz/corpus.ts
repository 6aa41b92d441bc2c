// The fuzz corpus (issue #10): broken, strange and hostile files made at test time from two real images in
// ../shared/data, never stored in the repo. The same inputs give the same bytes, so a failure reproduces.
// Each file carries what must happen to it; `ensureCorpus` regenerates only when CORPUS_VERSION changes.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { ImageErrorCode } from '../../core/image/image-error.ts';
import { SHARED_DATA } from '../datasets.ts';
import { REPO_ROOT } from '../model-dir.ts';
import { animatedAvif } from './avis-writer.ts';
import { encodeBmp } from './bmp-writer.ts';
import { cmykToYcck, encodeJpeg } from './jpeg-writer.ts';
import { flipBits, truncationPoints } from './mutations.ts';
import { animatedPng, pngChunk, withClaimedSize } from './png-chunks.ts';

/** Bump when the generator changes: a stale corpus in .cache/fuzz is then rebuilt. */
export const CORPUS_VERSION = 3;
export const DEFAULT_FUZZ_DIR = path.join(REPO_ROOT, '.cache', 'fuzz');

export const FUZZ_CATEGORIES = [
  'truncated',
  'bitflip-header',
  'bitflip-body',
  'wrong-magic',
  'bomb',
  'colour',
  'animated',
  'extreme-size',
  'empty',
  'not-image',
] as const;
export type FuzzCategory = (typeof FUZZ_CATEGORIES)[number];

/** What must become of a file: a score, a specific error, or either (damage the decoder may tolerate). */
export type Outcome = 'score' | 'error' | 'either';

export interface CorpusEntry {
  /** File name inside the corpus folder (unique). */
  readonly name: string;
  readonly category: FuzzCategory;
  readonly note: string;
  readonly expect: Outcome;
  /** The error code required when it fails (omitted: any specific code). */
  readonly code?: ImageErrorCode;
  /** Where app (Chromium) and CLI (sharp) decoders legitimately differ. */
  readonly app?: Outcome;
  readonly cli?: Outcome;
  /** The error code required from the CLI when it differs from `code`. */
  readonly cliCode?: ImageErrorCode;
}

export interface Corpus {
  readonly dir: string;
  readonly entries: readonly CorpusEntry[];
}

/** The two real images everything is made from: a BIQ2021 photo and an AGIQA-3K picture. */
export function corpusSources(root = SHARED_DATA): string[] {
  const first = (dir: string) => {
    const names = fs.readdirSync(dir).filter((n) => /\.jpe?g$/i.test(n)).sort();
    return path.join(dir, names[0]!);
  };
  return [first(path.join(root, 'biq2021', 'images')), first(path.join(root, 'agiqa3k', 'images'))];
}

type Format = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'bmp' | 'heic' | 'apng';
const EXT: Record<Format, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', avif: 'avif', bmp: 'bmp', heic: 'heic', apng: 'apng' };

class Builder {
  readonly entries: CorpusEntry[] = [];
  constructor(readonly dir: string) {}
  add(entry: Omit<CorpusEntry, 'name'> & { name: string }, bytes: Uint8Array | string): void {
    if (this.entries.some((e) => e.name === entry.name)) throw new Error(`duplicate corpus name ${entry.name}`);
    fs.writeFileSync(path.join(this.dir, entry.name), bytes);
    this.entries.push(entry);
  }
}

/** A HEIF still with 'heic' brands (sharp only encodes AV1 in HEIF; browsers refuse the brand, sharp reads it). */
function asHeicBrand(heif: Buffer): Buffer {
  const out = Buffer.from(heif);
  const ftypSize = out.readUInt32BE(0);
  out.write('heic', 8, 'latin1');
  for (let at = 16; at + 4 <= ftypSize; at += 4) out.write(at === 16 ? 'mif1' : 'heic', at, 'latin1');
  return out;
}

async function baseFiles(photo: string): Promise<Record<Format, Buffer>> {
  const img = () => sharp(photo).resize(256, 192, { fit: 'cover' });
  const { data, info } = await img().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const frames = await Promise.all([0, 120, 240].map((hue) => img().modulate({ hue }).png().toBuffer()));
  return {
    jpeg: await img().jpeg({ quality: 85 }).toBuffer(),
    png: await img().png().toBuffer(),
    webp: await img().webp({ quality: 80 }).toBuffer(),
    gif: await img().gif().toBuffer(),
    avif: await img().avif({ quality: 50, effort: 0 }).toBuffer(),
    bmp: encodeBmp(data, info.width, info.height),
    heic: asHeicBrand(await img().heif({ compression: 'av1', quality: 50, effort: 0 }).toBuffer()),
    apng: animatedPng(frames),
  };
}

/** Formats the app decodes but the CLI's sharp does not, and the reverse (HEIF with AV1 inside). */
const APP_ONLY: ReadonlySet<Format> = new Set(['bmp']);
const CLI_ONLY: ReadonlySet<Format> = new Set(['heic']);

function validOutcome(f: Format): Pick<CorpusEntry, 'expect' | 'app' | 'cli' | 'cliCode'> {
  if (APP_ONLY.has(f)) return { expect: 'score', cli: 'error', cliCode: 'unsupported' };
  if (CLI_ONLY.has(f)) return { expect: 'score', app: 'error' };
  return { expect: 'score' };
}

function damaged(b: Builder, base: Record<Format, Buffer>): void {
  for (const [f, bytes] of Object.entries(base) as [Format, Buffer][]) {
    for (const n of truncationPoints(bytes.length)) {
      b.add({ name: `truncated-${f}-${String(n).padStart(6, '0')}.${EXT[f]}`, category: 'truncated', note: `${f} cut to ${n} of ${bytes.length} bytes`, expect: 'either' }, bytes.subarray(0, n));
    }
    // Headers: the signature and first chunk/segment headers; bodies: everything after the first 1 KiB.
    [1, 2, 4, 8].forEach((count, i) => {
      b.add({ name: `bitflip-header-${f}-${count}.${EXT[f]}`, category: 'bitflip-header', note: `${count} bits flipped in the first 64 bytes`, expect: 'either' }, flipBits(bytes, count, 1000 + i, 0, 64));
      b.add({ name: `bitflip-body-${f}-${count * 16}.${EXT[f]}`, category: 'bitflip-body', note: `${count * 16} bits flipped after the first 1 KiB`, expect: 'either' }, flipBits(bytes, count * 16, 2000 + i, 1024));
    });
  }
}

function wrongMagic(b: Builder, base: Record<Format, Buffer>): void {
  // Real images under another format's extension: decoders go by content, so these score.
  const swaps: [Format, string][] = [['png', 'jpg'], ['jpeg', 'png'], ['webp', 'gif'], ['gif', 'webp'], ['avif', 'jpg'], ['jpeg', 'avif']];
  for (const [f, ext] of swaps) b.add({ name: `wrong-ext-${f}-as.${ext}`, category: 'wrong-magic', note: `a ${f} named .${ext}`, ...validOutcome(f) }, base[f]);
  // The right extension, the magic bytes broken.
  const broken: [Format, number, number[]][] = [
    ['jpeg', 0, [0x00, 0x00]],
    ['png', 1, [0x50, 0x4e, 0x58]],
    ['webp', 8, [0x57, 0x45, 0x42, 0x51]],
    ['gif', 3, [0x39, 0x39]],
    ['avif', 4, [0x66, 0x74, 0x79, 0x71]],
    ['bmp', 0, [0x4d, 0x42]],
  ];
  for (const [f, at, patch] of broken) {
    const bytes = Buffer.from(base[f]);
    bytes.set(patch, at);
    b.add({ name: `bad-magic-${f}.${EXT[f]}`, category: 'wrong-magic', note: `${f} with its signature damaged`, expect: 'error' }, bytes);
  }
  // A JPEG signature in front of PNG data: sniffed as JPEG, decodes as nothing.
  b.add({ name: 'jpeg-magic-png-body.jpg', category: 'wrong-magic', note: 'FF D8 FF then a PNG', expect: 'error' }, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), base.png]));
}

function jpegWithSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let at = 2; at + 9 <= out.length; ) {
    const marker = out[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) {
      out.writeUInt16BE(height, at + 5);
      out.writeUInt16BE(width, at + 7);
      return out;
    }
    at += 2 + out.readUInt16BE(at + 2);
  }
  throw new Error('no SOF in jpeg');
}

function gifWithSize(gif: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(gif);
  out.writeUInt16LE(width, 6);
  out.writeUInt16LE(height, 8);
  return out;
}

/** A real decompression bomb: a 1-bit PNG of `side` x `side` black pixels, a few tens of KB on disk. */
function blackPng(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth 1, colour type 0 (grey)
  const row = Buffer.alloc(1 + Math.ceil(side / 8));
  const deflate = zlib.deflateSync(Buffer.concat(new Array<Buffer>(side).fill(row)), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflate), pngChunk('IEND', Buffer.alloc(0))]);
}

function bombs(b: Builder, base: Record<Format, Buffer>): void {
  const big = { category: 'bomb' as const, expect: 'error' as const, code: 'too-large' as const };
  b.add({ ...big, name: 'bomb-png-50000x50000.png', note: 'PNG whose IHDR claims 50,000 x 50,000 px' }, withClaimedSize(base.png, 50_000, 50_000));
  b.add({ ...big, name: 'bomb-jpeg-50000x50000.jpg', note: 'JPEG whose SOF claims 50,000 x 50,000 px' }, jpegWithSize(base.jpeg, 50_000, 50_000));
  b.add({ ...big, name: 'bomb-jpeg-65535x65535.jpg', note: 'JPEG whose SOF claims the largest size JPEG allows' }, jpegWithSize(base.jpeg, 65_535, 65_535));
  b.add({ ...big, name: 'bomb-gif-50000x50000.gif', note: 'GIF whose screen descriptor claims 50,000 x 50,000 px' }, gifWithSize(base.gif, 50_000, 50_000));
  // Under the limit and real: 144 MP of black in ~20 KB. Either decoded downscaled, or refused with a reason.
  b.add({ name: 'bomb-png-12000x12000-real.png', category: 'bomb', note: 'a real 12,000 x 12,000 1-bit PNG (144 MP, tiny file)', expect: 'either' }, blackPng(12_000));
}

async function colour(b: Builder, photo: string): Promise<void> {
  const img = () => sharp(photo).resize(200, 150, { fit: 'cover' });
  const ok = { category: 'colour' as const, expect: 'score' as const };
  b.add({ ...ok, name: 'cmyk-sharp.jpg', note: 'CMYK JPEG (Adobe marker) written by libvips' }, await img().toColourspace('cmyk').jpeg({ quality: 90 }).toBuffer());
  const { data, info } = await img().toColourspace('cmyk').raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  // Adobe files store CMYK inverted (255 = no ink), the way Photoshop writes them.
  const planes = [0, 1, 2, 3].map((c) => Uint8Array.from({ length: n }, (_, i) => 255 - data[i * 4 + c]!));
  b.add({ ...ok, name: 'cmyk-adobe-raw.jpg', note: 'CMYK JPEG, Adobe transform 0, written byte by byte' }, encodeJpeg({ width: info.width, height: info.height, planes, adobeTransform: 0 }));
  const [y, cb, cr] = cmykToYcck(planes[0]!, planes[1]!, planes[2]!);
  b.add({ ...ok, name: 'ycck.jpg', note: 'YCCK JPEG (Adobe transform 2), written byte by byte' }, encodeJpeg({ width: info.width, height: info.height, planes: [y, cb, cr, planes[3]!], adobeTransform: 2 }));
  b.add({ ...ok, name: 'cmyk-no-adobe-marker.jpg', note: 'four-channel JPEG without an Adobe marker' }, encodeJpeg({ width: info.width, height: info.height, planes, adobeTransform: null }));
  b.add({ ...ok, name: 'grey.jpg', note: 'greyscale JPEG' }, await img().greyscale().jpeg().toBuffer());
  b.add({ ...ok, name: 'progressive.jpg', note: 'progressive JPEG' }, await img().jpeg({ progressive: true }).toBuffer());
  b.add({ ...ok, name: 'rgb16.png', note: '16-bit RGB PNG' }, await img().toColourspace('rgb16').png().toBuffer());
  b.add({ ...ok, name: 'grey16.png', note: '16-bit greyscale PNG' }, await img().toColourspace('grey16').png().toBuffer());
  b.add({ ...ok, name: 'palette.png', note: 'palette (indexed) PNG' }, await img().png({ palette: true, colours: 64 }).toBuffer());
  b.add({ ...ok, name: 'palette-2-colours.png', note: '1-bit palette PNG' }, await img().png({ palette: true, colours: 2 }).toBuffer());
  b.add({ ...ok, name: 'grey.png', note: 'greyscale PNG' }, await img().toColourspace('b-w').png().toBuffer());
  b.add({ ...ok, name: 'grey-alpha.png', note: 'grey + alpha PNG' }, await img().toColourspace('b-w').ensureAlpha(0.5).png().toBuffer());
  b.add({ ...ok, name: 'grey-alpha16.png', note: '16-bit grey + alpha PNG' }, await img().toColourspace('grey16').ensureAlpha(0.5).png().toBuffer());
  b.add({ ...ok, name: 'rgba-transparent.png', note: 'fully transparent RGBA PNG' }, await img().ensureAlpha(0).png().toBuffer());
  b.add({ ...ok, name: 'alpha.webp', note: 'WebP with alpha' }, await img().ensureAlpha(0.5).webp().toBuffer());
  b.add({ ...ok, name: 'lossless.webp', note: 'lossless WebP' }, await img().webp({ lossless: true }).toBuffer());
}

async function animated(b: Builder, photo: string): Promise<void> {
  const frame = (hue: number) => sharp(photo).resize(160, 120, { fit: 'cover' }).modulate({ hue });
  const hues = [0, 90, 180, 270];
  const pngs = await Promise.all(hues.map((h) => frame(h).png().toBuffer()));
  const ok = { category: 'animated' as const, expect: 'score' as const };
  b.add({ ...ok, name: 'animated.gif', note: '4-frame animated GIF' }, await sharp(pngs, { join: { animated: true } }).gif({ delay: 200 }).toBuffer());
  b.add({ ...ok, name: 'animated.webp', note: '4-frame animated WebP' }, await sharp(pngs, { join: { animated: true } }).webp({ delay: 200 }).toBuffer());
  const avifs = await Promise.all(hues.map((h) => frame(h).avif({ quality: 50, effort: 0 }).toBuffer()));
  b.add({ ...ok, name: 'animated.avif', note: '4-frame AVIF image sequence (avis)' }, animatedAvif(avifs, 160, 120));
  b.add({ ...ok, name: 'animated.png', note: '4-frame APNG' }, animatedPng(pngs));
}

async function extremeSizes(b: Builder, photo: string): Promise<void> {
  const ok = { category: 'extreme-size' as const, expect: 'score' as const };
  const sized = (w: number, h: number) => sharp(photo).resize(w, h, { fit: 'fill' });
  for (const [fmt, ext] of [['jpeg', 'jpg'], ['png', 'png'], ['webp', 'webp'], ['gif', 'gif']] as const) {
    b.add({ ...ok, name: `1x1.${ext}`, note: `1 x 1 px ${fmt}` }, await sized(1, 1)[fmt]().toBuffer());
  }
  b.add({ ...ok, name: '1x10000.png', note: '1 px wide, 10,000 px tall PNG' }, await sized(1, 10_000).png().toBuffer());
  b.add({ ...ok, name: '1x10000.jpg', note: '1 px wide, 10,000 px tall JPEG' }, await sized(1, 10_000).jpeg().toBuffer());
  b.add({ ...ok, name: '10000x1.png', note: '10,000 px wide, 1 px tall PNG' }, await sized(10_000, 1).png().toBuffer());
  b.add({ ...ok, name: '10000x1.webp', note: '10,000 px wide, 1 px tall WebP' }, await sized(10_000, 1).webp().toBuffer());
  b.add({ ...ok, name: '2x3.png', note: '2 x 3 px PNG' }, await sized(2, 3).png().toBuffer());
  b.add({ ...ok, name: '1x1.bmp', note: '1 x 1 px BMP', cli: 'error', cliCode: 'unsupported' }, encodeBmp(new Uint8Array([200, 100, 50]), 1, 1));
}

function emptyFiles(b: Builder): void {
  for (const ext of ['jpg', 'jpeg', 'png', 'webp', 'gif', 'avif', 'bmp', 'heic']) {
    b.add({ name: `empty.${ext}`, category: 'empty', note: `0 bytes named .${ext}`, expect: 'error', code: 'empty' }, new Uint8Array(0));
  }
}

function notImages(b: Builder): void {
  const rand = flipBits(new Uint8Array(4096), 20_000, 77);
  const bad = (name: string, note: string, bytes: Uint8Array | string, code: ImageErrorCode = 'not-image', extra: Partial<CorpusEntry> = {}) =>
    b.add({ name, category: 'not-image', note, expect: 'error', code, ...extra }, bytes);
  bad('notes.jpg', 'plain text', 'These are my holiday notes, not a picture.\nDay 1: beach.\n');
  bad('page.png', 'an HTML page', '<!doctype html>\n<html><head><title>Not an image</title></head><body><p>Hello</p></body></html>\n');
  bad('data.webp', 'JSON', JSON.stringify({ image: false, values: [1, 2, 3] }, null, 2));
  bad('utf16.jpg', 'UTF-16 text with a byte-order mark', Buffer.from('\ufeffUTF-16 text, not an image', 'utf16le'));
  bad('report.jpg', 'a PDF header and binary body', Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), rand]));
  bad('archive.png', 'a ZIP archive', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), rand]));
  bad('program.gif', 'an ELF executable', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), rand]));
  bad('noise.avif', 'random bytes', rand);
  bad('video.avif', 'an MP4 ftyp with no image brand', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\0\0isommp41', 'latin1'), rand]));
  // SVG is an image to sharp (librsvg), not to the app's decoder list.
  bad('drawing.png', 'an SVG drawing', '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="teal"/></svg>\n', 'not-image', { cli: 'either' });
}

async function generate(dir: string, sources: readonly string[]): Promise<CorpusEntry[]> {
  const b = new Builder(dir);
  const [photo, picture] = sources as [string, string];
  const base = await baseFiles(photo);
  damaged(b, base);
  wrongMagic(b, base);
  bombs(b, base);
  await colour(b, picture);
  await animated(b, picture);
  await extremeSizes(b, photo);
  emptyFiles(b);
  notImages(b);
  return b.entries;
}

interface Manifest {
  readonly version: number;
  readonly sources: readonly string[];
  readonly entries: readonly CorpusEntry[];
}

/** The corpus in `dir`, generated (atomically, via a temporary folder) when missing or stale. */
export async function ensureCorpus(dir = DEFAULT_FUZZ_DIR, sources = corpusSources()): Promise<Corpus> {
  const manifestPath = path.join(dir, 'manifest.json');
  const names = sources.map((s) => path.basename(s));
  try {
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
    if (m.version === CORPUS_VERSION && JSON.stringify(m.sources) === JSON.stringify(names)) return { dir, entries: m.entries };
  } catch {
    // missing or unreadable: build it
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(`${dir}.tmp-`);
  const files = path.join(tmp, 'files');
  fs.mkdirSync(files);
  const entries = await generate(files, sources);
  fs.writeFileSync(path.join(files, 'manifest.json'), JSON.stringify({ version: CORPUS_VERSION, sources: names, entries } satisfies Manifest, null, 1));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(files, dir);
  fs.rmSync(tmp, { recursive: true, force: true });
  return { dir, entries };
}

/** Outcome required of `entry` when run through the app or the CLI. */
export function expectedOutcome(entry: CorpusEntry, runner: 'app' | 'cli'): Outcome {
  return entry[runner] ?? entry.expect;
}
