// RAW camera files carry a JPEG the camera rendered itself (full size for most Canon, Nikon, Sony and
// Fujifilm bodies; 1620x1080 in a CR3). LEAF scores that preview instead of decoding sensor data: this
// finds its bytes. Pure: the worker and the CLI decode the preview as any JPEG, then turn it upright
// with orientPixels when the orientation is recorded only in the RAW container.
import { ImageDecodeError } from './image-error.ts';
import { sniffImage } from './image-header.ts';
import { type IfdEntry, ifdText, readIfd } from './tiff-ifd.ts';
import type { Pixels } from '../model/preprocess.ts';

export type RawKind = 'dng' | 'cr2' | 'cr3' | 'nef' | 'arw' | 'raf' | 'orf' | 'rw2';

export const RAW_EXTENSIONS: readonly RawKind[] = ['dng', 'cr2', 'cr3', 'nef', 'arw', 'raf', 'orf', 'rw2'];

/** A preview smaller than this (longest side) is a thumbnail: too small to judge sharpness or noise. */
export const MIN_PREVIEW_SIDE = 640;

export interface RawPreview {
  readonly kind: RawKind;
  readonly offset: number;
  readonly length: number;
  readonly width: number;
  readonly height: number;
  /** EXIF orientation the RAW container records for the picture (1 when it records none). */
  readonly orientation: number;
}

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

/** Which RAW container the first bytes announce; null for anything else (a plain TIFF included). */
export function rawKindOf(b: Uint8Array): RawKind | null {
  if (b.length >= 16 && ascii(b, 0, 15) === 'FUJIFILMCCD-RAW') return 'raf';
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftypcrx ') return 'cr3';
  if (b.length < 16) return null;
  const magic = ascii(b, 0, 4);
  if (magic === 'IIRO' || magic === 'IIRS' || magic === 'MMOR') return 'orf';
  if (magic === 'IIU\0') return 'rw2';
  if (magic !== 'II*\0' && magic !== 'MM\0*') return null;
  if (ascii(b, 8, 2) === 'CR') return 'cr2';
  const ifd0 = readIfd(new DataView(b.buffer, b.byteOffset, b.byteLength), magic === 'II*\0', tiffFirstIfd(b), b.length);
  if (!ifd0) return null;
  if (ifd0.has(0xc612)) return 'dng';
  const maker = (ifdText(b, ifd0.get(0x010f), 16) ?? '').toUpperCase();
  if (maker.startsWith('NIKON')) return 'nef';
  if (maker.startsWith('SONY')) return 'arw';
  return null;
}

function tiffFirstIfd(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return dv.getUint32(4, b[0] === 0x49);
}

/** The IFD offsets a SubIFDs tag points to (one inline, or an array of LONGs). */
function subIfds(dv: DataView, le: boolean, e: IfdEntry | undefined, end: number): number[] {
  if (!e) return [];
  if (e.count === 1) return [e.value];
  const out: number[] = [];
  for (let i = 0; i < Math.min(e.count, 16) && e.value + 4 * i + 4 <= end; i++) out.push(dv.getUint32(e.value + 4 * i, le));
  return out;
}

interface Candidate {
  readonly offset: number;
  readonly length: number;
}

/** JPEG previews a TIFF-based RAW lists: thumbnail tags, single-strip JPEG images, Panasonic's JpgFromRaw. */
function tiffCandidates(b: Uint8Array, base: number): { found: Candidate[]; orientation: number } {
  const dv = new DataView(b.buffer, b.byteOffset + base, b.byteLength - base);
  const end = b.byteLength - base;
  const le = b[base] === 0x49;
  const found: Candidate[] = [];
  let orientation = 1;
  const seen = new Set<number>();
  const queue = [dv.getUint32(4, le)];
  while (queue.length > 0 && seen.size < 32) {
    const at = queue.shift()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const ifd = readIfd(dv, le, at, end);
    if (!ifd) continue;
    if (seen.size === 1) {
      const o = ifd.get(0x0112)?.value;
      if (o && o >= 1 && o <= 8) orientation = o;
    }
    const thumb = ifd.get(0x0201);
    const thumbLength = ifd.get(0x0202);
    if (thumb && thumbLength) found.push({ offset: base + thumb.value, length: thumbLength.value });
    const strip = ifd.get(0x0111);
    const stripLength = ifd.get(0x0117);
    const compression = ifd.get(0x0103)?.value;
    if (strip && stripLength && strip.count === 1 && (compression === 6 || compression === 7)) found.push({ offset: base + strip.value, length: stripLength.value });
    const jpgFromRaw = ifd.get(0x002e);
    if (jpgFromRaw && jpgFromRaw.type === 7) found.push({ offset: base + jpgFromRaw.value, length: jpgFromRaw.count });
    queue.push(...subIfds(dv, le, ifd.get(0x014a), end));
    const next = at + 2 + dv.getUint16(at, le) * 12;
    if (next + 4 <= end) queue.push(dv.getUint32(next, le));
  }
  return { found, orientation };
}

/** CR3 (ISO BMFF): the PRVW box (about 1620x1080) and the THMB box, each wrapping a JPEG. */
function cr3Candidates(b: Uint8Array): Candidate[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const found: Candidate[] = [];
  const limit = Math.min(b.length - 8, 8 * 1024 * 1024);
  for (let at = 4; at < limit; at++) {
    if (b[at] !== 0x50 && b[at] !== 0x54) continue; // 'P' or 'T'
    const tag = ascii(b, at, 4);
    if (tag !== 'PRVW' && tag !== 'THMB') continue;
    const boxEnd = Math.min(b.length, at - 4 + dv.getUint32(at - 4));
    for (let j = at + 4; j < Math.min(at + 64, boxEnd - 3); j++) {
      if (b[j] === 0xff && b[j + 1] === 0xd8 && b[j + 2] === 0xff) {
        found.push({ offset: j, length: boxEnd - j });
        break;
      }
    }
  }
  return found;
}

/** The largest embedded JPEG a browser can decode (baseline or progressive, not lossless sensor data). */
export function findRawPreview(b: Uint8Array, kind: RawKind): RawPreview {
  const name = kind.toUpperCase();
  let candidates: Candidate[];
  let orientation = 1;
  if (kind === 'raf') {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    candidates = b.length >= 92 ? [{ offset: dv.getUint32(84), length: dv.getUint32(88) }] : [];
  } else if (kind === 'cr3') {
    candidates = cr3Candidates(b);
  } else {
    ({ found: candidates, orientation } = tiffCandidates(b, 0));
  }
  let best: RawPreview | null = null;
  for (const c of candidates) {
    if (c.offset <= 0 || c.length < 4 || c.offset + c.length > b.length) continue;
    const jpeg = b.subarray(c.offset, c.offset + c.length);
    if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8 || jpeg[2] !== 0xff) continue;
    const head = sniffImage(jpeg.subarray(0, 256 * 1024));
    if (head.format !== 'jpeg' || !head.width || !head.height || head.lossless) continue;
    if (!best || head.width * head.height > best.width * best.height) best = { kind, offset: c.offset, length: c.length, width: head.width, height: head.height, orientation };
  }
  if (!best) throw new ImageDecodeError('unsupported', `${name} file without an embedded JPEG preview: LEAF scores the camera's preview and does not decode RAW sensor data`);
  if (Math.max(best.width, best.height) < MIN_PREVIEW_SIDE) {
    throw new ImageDecodeError('unsupported', `${name} file whose embedded preview is only ${best.width}x${best.height}: too small to judge its quality (export a JPEG from your RAW editor)`);
  }
  return best;
}

/** Turns decoded pixels upright for an EXIF orientation (1..8), as browsers and sharp do for a JPEG's own. */
export function orientPixels(p: Pixels, orientation: number): Pixels {
  if (orientation <= 1 || orientation > 8) return p;
  const { width: w, height: h, channels: c } = p;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8ClampedArray(p.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Where the stored pixel (x, y) lands in the upright image.
      let ox: number;
      let oy: number;
      switch (orientation) {
        case 2: [ox, oy] = [w - 1 - x, y]; break;
        case 3: [ox, oy] = [w - 1 - x, h - 1 - y]; break;
        case 4: [ox, oy] = [x, h - 1 - y]; break;
        case 5: [ox, oy] = [y, x]; break;
        case 6: [ox, oy] = [h - 1 - y, x]; break;
        case 7: [ox, oy] = [h - 1 - y, w - 1 - x]; break;
        default: [ox, oy] = [y, w - 1 - x]; break; // 8
      }
      const from = (y * w + x) * c;
      const to = (oy * ow + ox) * c;
      for (let k = 0; k < c; k++) out[to + k] = p.data[from + k]!;
    }
  }
  return { data: out, width: ow, height: oh, channels: c };
}

/**
 * The canvas transform that draws a stored w x h image upright for an EXIF orientation (1..8):
 * ctx.setTransform(...matrix) on a canvas of the returned size, then drawImage at 0,0.
 */
export function orientationTransform(orientation: number, w: number, h: number): { width: number; height: number; matrix: [number, number, number, number, number, number] } {
  const m: Record<number, [number, number, number, number, number, number]> = {
    2: [-1, 0, 0, 1, w, 0],
    3: [-1, 0, 0, -1, w, h],
    4: [1, 0, 0, -1, 0, h],
    5: [0, 1, 1, 0, 0, 0],
    6: [0, 1, -1, 0, h, 0],
    7: [0, -1, -1, 0, h, w],
    8: [0, -1, 1, 0, 0, w],
  };
  const swap = orientation >= 5 && orientation <= 8;
  return { width: swap ? h : w, height: swap ? w : h, matrix: m[orientation] ?? [1, 0, 0, 1, 0, 0] };
}
