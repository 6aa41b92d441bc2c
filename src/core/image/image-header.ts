// Reads an image's format, size and EXIF orientation from its first bytes, before decoding. The decoder
// needs the size to downscale huge images while decoding (a 10000x10000 image must never be decoded whole)
// and the format to give a clear per-file error ("this is a text file") instead of a generic failure.
// Pure: works on a byte prefix, unit-tested in Node.

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'heic' | 'bmp' | 'text' | 'unknown';

export interface ImageHeader {
  readonly format: ImageFormat;
  /** Stored (pre-orientation) size, when the header states it. */
  readonly width: number | null;
  readonly height: number | null;
  /** EXIF orientation 1..8 (JPEG only; 1 when absent). */
  readonly orientation: number;
  /** A lossless JPEG frame (SOF3/7/11/15): RAW sensor data, which browsers cannot decode. */
  readonly lossless?: true;
}

/** How many leading bytes sniffImage wants: JPEG APPn segments (EXIF, ICC) can precede the frame header. */
export const HEADER_BYTES = 256 * 1024;

function ascii(b: Uint8Array, at: number, len: number): string {
  return String.fromCharCode(...b.subarray(at, at + len));
}

export function sniffImage(b: Uint8Array): ImageHeader {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const unknown = (format: ImageFormat): ImageHeader => ({ format, width: null, height: null, orientation: 1 });
  const sized = (format: ImageFormat, width: number, height: number, orientation = 1): ImageHeader =>
    width > 0 && height > 0 ? { format, width, height, orientation } : unknown(format);

  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b, dv);
  if (b.length >= 24 && ascii(b, 1, 3) === 'PNG' && b[0] === 0x89) return sized('png', dv.getUint32(16), dv.getUint32(20));
  if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    return sized('gif', dv.getUint16(6, true), dv.getUint16(8, true));
  }
  if (b.length >= 16 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return sniffWebp(b, dv);
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') return sniffIsoBmff(b, dv);
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') return sized('bmp', Math.abs(dv.getInt32(18, true)), Math.abs(dv.getInt32(22, true)));
  return unknown(looksLikeText(b) ? 'text' : 'unknown');
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function sniffJpeg(b: Uint8Array, dv: DataView): ImageHeader {
  let orientation = 1;
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return { format: 'jpeg', width: null, height: null, orientation };
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const len = dv.getUint16(at + 2);
    if (SOF_MARKERS.has(marker) && at + 9 <= b.length) {
      const height = dv.getUint16(at + 5);
      const width = dv.getUint16(at + 7);
      const lossless = (marker & 0x03) === 0x03 ? { lossless: true as const } : {};
      return width > 0 && height > 0 ? { format: 'jpeg', width, height, orientation, ...lossless } : { format: 'jpeg', width: null, height: null, orientation, ...lossless };
    }
    if (marker === 0xe1 && at + 10 <= b.length && ascii(b, at + 4, 6) === 'Exif\0\0') {
      orientation = exifOrientation(dv, at + 10, Math.min(b.length, at + 2 + len)) ?? orientation;
    }
    at += 2 + len;
  }
  return { format: 'jpeg', width: null, height: null, orientation };
}

/** Orientation tag (0x0112) of IFD0 in a TIFF block starting at `tiff`. */
function exifOrientation(dv: DataView, tiff: number, end: number): number | null {
  if (tiff + 8 > end) return null;
  const order = dv.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const le = order === 0x4949;
  const ifd = tiff + dv.getUint32(tiff + 4, le);
  if (ifd + 2 > end) return null;
  const count = dv.getUint16(ifd, le);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return null;
    if (dv.getUint16(entry, le) === 0x0112) {
      const v = dv.getUint16(entry + 8, le);
      return v >= 1 && v <= 8 ? v : null;
    }
  }
  return null;
}

function sniffWebp(b: Uint8Array, dv: DataView): ImageHeader {
  const chunk = ascii(b, 12, 4);
  const none: ImageHeader = { format: 'webp', width: null, height: null, orientation: 1 };
  if (chunk === 'VP8 ' && b.length >= 30) return { ...none, width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff };
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = dv.getUint32(21, true);
    return { ...none, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X' && b.length >= 30) {
    const w = b[24]! | (b[25]! << 8) | (b[26]! << 16);
    const h = b[27]! | (b[28]! << 8) | (b[29]! << 16);
    return { ...none, width: w + 1, height: h + 1 };
  }
  return none;
}

/** AVIF / HEIF: brand from `ftyp`; size from the largest `ispe` property (the primary image, not a thumbnail). */
function sniffIsoBmff(b: Uint8Array, dv: DataView): ImageHeader {
  const ftypSize = dv.getUint32(0);
  const brands: string[] = [ascii(b, 8, 4)];
  for (let at = 16; at + 4 <= Math.min(ftypSize, b.length); at += 4) brands.push(ascii(b, at, 4));
  const format: ImageFormat = brands.some((x) => x === 'avif' || x === 'avis')
    ? 'avif'
    : brands.some((x) => ['heic', 'heix', 'hevc', 'mif1', 'msf1'].includes(x))
      ? 'heic'
      : 'unknown';
  let width = 0;
  let height = 0;
  for (let at = 0; at + 20 <= b.length; at++) {
    if (b[at] === 0x69 && ascii(b, at, 4) === 'ispe') {
      const w = dv.getUint32(at + 8);
      const h = dv.getUint32(at + 12);
      if (w * h > width * height) [width, height] = [w, h];
    }
  }
  return width > 0 ? { format, width, height, orientation: 1 } : { format, width: null, height: null, orientation: 1 };
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  if (n === 0) return false;
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0x80) printable++; // >= 0x80: UTF-8 sequences
    else if (c === 0) return false;
  }
  return printable / n > 0.95;
}

/** Size after EXIF orientation (orientations 5..8 swap width and height). */
export function orientedSize(h: ImageHeader): { width: number; height: number } | null {
  if (h.width == null || h.height == null) return null;
  return h.orientation >= 5 ? { width: h.height, height: h.width } : { width: h.width, height: h.height };
}
