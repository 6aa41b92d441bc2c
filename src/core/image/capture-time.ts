// When a photo was taken, from its EXIF (DateTimeOriginal + SubSecTimeOriginal, so frames of a burst
// within one second stay in order): in a JPEG's APP1 segment, or in a TIFF-based RAW's own IFDs. Pure:
// reads the byte prefix the decoder already has. The clock is the camera's local time read as UTC: only
// differences between photos are used (bursts), never the absolute time.

import { type IfdEntry, ifdText, readIfd } from './tiff-ifd.ts';

const TAG_EXIF_IFD = 0x8769;
const TAG_DATE_TIME_ORIGINAL = 0x9003;
const TAG_SUBSEC_ORIGINAL = 0x9291;
const TAG_DATE_TIME = 0x0132;

/** Milliseconds (camera clock as UTC) or null when the file records no capture time. */
export function captureTime(b: Uint8Array): number | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let at = 2;
    while (at + 4 <= b.length && b[at] === 0xff) {
      const marker = b[at + 1]!;
      if (marker === 0xda || marker === 0xd9) return null;
      const len = dv.getUint16(at + 2);
      if (marker === 0xe1 && at + 10 <= b.length && String.fromCharCode(...b.subarray(at + 4, at + 10)) === 'Exif\0\0') {
        return tiffCaptureTime(b.subarray(at + 10, Math.min(b.length, at + 2 + len)));
      }
      at += 2 + len;
    }
    return null;
  }
  const magic = b.length >= 4 ? String.fromCharCode(...b.subarray(0, 2)) : '';
  return magic === 'II' || magic === 'MM' ? tiffCaptureTime(b) : null;
}

function tiffCaptureTime(t: Uint8Array): number | null {
  if (t.length < 8) return null;
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const le = t[0] === 0x49;
  const entries = (at: number) => readIfd(dv, le, at, t.length) ?? new Map<number, IfdEntry>();
  const ifd0 = entries(dv.getUint32(4, le));
  const exifAt = ifd0.get(TAG_EXIF_IFD);
  const exif = exifAt ? entries(exifAt.value) : new Map<number, IfdEntry>();
  const when = ifdText(t, exif.get(TAG_DATE_TIME_ORIGINAL)) ?? ifdText(t, ifd0.get(TAG_DATE_TIME));
  const m = when?.match(/^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (!Number.isFinite(ms) || y < 1970) return null;
  const sub = ifdText(t, exif.get(TAG_SUBSEC_ORIGINAL));
  return sub && /^\d+$/.test(sub) ? ms + Math.round(Number(`0.${sub}`) * 1000) : ms;
}
