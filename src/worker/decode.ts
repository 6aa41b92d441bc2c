// File -> pixels inside the worker. createImageBitmap decodes off the worker's thread and applies EXIF
// orientation; huge images are decoded straight to at most MAX_DECODE_SIDE (never whole); every bitmap is
// closed before returning so worker memory stays flat.
import { MAX_DECODE_SIDE, type Pixels } from '../core/model/preprocess.ts';
import { ImageDecodeError, imageErrors } from '../core/image/image-error.ts';
import { HEADER_BYTES, type ImageHeader, orientedSize, sniffImage } from '../core/image/image-header.ts';
import { captureTime } from '../core/image/capture-time.ts';
import { decodeHeif, HEIF_MAX_PIXELS } from '../core/image/heif.ts';
import { checkClaimedSize } from '../core/image/limits.ts';
import { findRawPreview, orientPixels, type RawKind, rawKindOf } from '../core/image/raw-preview.ts';

export interface DecodedImage {
  readonly pixels: Pixels;
  readonly format: string;
  readonly downscaledFrom: { width: number; height: number } | null;
  readonly thumb: Blob | null;
  /** EXIF capture time (see core/image/capture-time.ts). */
  readonly capturedAt: number | null;
  /** Where the time went (ms): the browser's decode, reading the pixels out, making the thumbnail. */
  readonly ms: DecodeTimes;
}

export interface DecodeTimes {
  readonly decode: number;
  readonly pixels: number;
  readonly thumbnail: number;
}

/** Target size so the longest side is at most `max`, keeping aspect. */
export function fitInside(width: number, height: number, max: number): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

async function openBitmap(file: Blob, head: ImageHeader): Promise<{ bitmap: ImageBitmap; downscaledFrom: DecodedImage['downscaledFrom'] }> {
  const size = orientedSize(head);
  try {
    if (size && Math.max(size.width, size.height) > MAX_DECODE_SIDE) {
      const fit = fitInside(size.width, size.height, MAX_DECODE_SIDE);
      const bitmap = await createImageBitmap(file, {
        imageOrientation: 'from-image',
        resizeWidth: fit.width,
        resizeHeight: fit.height,
        resizeQuality: 'high',
      });
      return { bitmap, downscaledFrom: size };
    }
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    if (Math.max(bitmap.width, bitmap.height) <= MAX_DECODE_SIDE) return { bitmap, downscaledFrom: null };
    // The header did not state a size (rare): shrink after the fact.
    const fit = fitInside(bitmap.width, bitmap.height, MAX_DECODE_SIDE);
    const from = { width: bitmap.width, height: bitmap.height };
    const small = await createImageBitmap(bitmap, { resizeWidth: fit.width, resizeHeight: fit.height, resizeQuality: 'high' });
    bitmap.close();
    return { bitmap: small, downscaledFrom: from };
  } catch (err) {
    if (head.format === 'heic') return openHeif(file, head);
    if (head.format === 'unknown') throw imageErrors.unknown();
    console.debug('decode failed', err);
    throw imageErrors.corrupt(head.format, 'the browser could not decode it');
  }
}

/** HEIC the browser cannot decode (all but Safari): libheif in wasm, loaded on the first such file. */
async function openHeif(file: Blob, head: ImageHeader): Promise<{ bitmap: ImageBitmap; downscaledFrom: DecodedImage['downscaledFrom'] }> {
  checkClaimedSize(head, HEIF_MAX_PIXELS);
  const rgba = await decodeHeif(new Uint8Array(await file.arrayBuffer()));
  const full = await createImageBitmap(new ImageData(rgba.data as Uint8ClampedArray<ArrayBuffer>, rgba.width, rgba.height));
  if (Math.max(full.width, full.height) <= MAX_DECODE_SIDE) return { bitmap: full, downscaledFrom: null };
  const fit = fitInside(full.width, full.height, MAX_DECODE_SIDE);
  const small = await createImageBitmap(full, { resizeWidth: fit.width, resizeHeight: fit.height, resizeQuality: 'high' });
  full.close();
  return { bitmap: small, downscaledFrom: { width: rgba.width, height: rgba.height } };
}

function readPixels(bitmap: ImageBitmap): Pixels {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new ImageDecodeError('decode-failed', 'No 2D canvas in this worker');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return { data, width: bitmap.width, height: bitmap.height, channels: 4 };
}

async function makeThumb(bitmap: ImageBitmap, size: number): Promise<Blob | null> {
  if (size <= 0) return null;
  const fit = fitInside(bitmap.width, bitmap.height, size);
  // Scaled while drawn: one bitmap fewer to allocate and close (bench:speed's thumbnail stage did not move).
  const canvas = new OffscreenCanvas(fit.width, fit.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.imageSmoothingQuality = 'medium';
  ctx.drawImage(bitmap, 0, 0, fit.width, fit.height);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.82 });
}

export async function decodeImage(file: Blob, thumbSize: number): Promise<DecodedImage> {
  if (file.size === 0) throw imageErrors.empty();
  const prefix = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const raw = rawKindOf(prefix);
  if (raw) {
    // The RAW container's EXIF names the capture time; else the preview's own, if it has one.
    const decoded = await decodeRawPreview(file, raw, thumbSize);
    return { ...decoded, capturedAt: captureTime(prefix) ?? decoded.capturedAt };
  }
  const head = sniffImage(prefix);
  if (head.format === 'text') throw imageErrors.text();
  checkClaimedSize(head);
  const t0 = performance.now();
  const { bitmap, downscaledFrom } = await openBitmap(file, head);
  try {
    if (bitmap.width === 0 || bitmap.height === 0) throw new ImageDecodeError('decode-failed', 'The image has no pixels');
    const t1 = performance.now();
    const pixels = readPixels(bitmap);
    const t2 = performance.now();
    const thumb = await makeThumb(bitmap, thumbSize);
    const ms = { decode: t1 - t0, pixels: t2 - t1, thumbnail: performance.now() - t2 };
    return { pixels, format: head.format, downscaledFrom, thumb, capturedAt: captureTime(prefix), ms };
  } finally {
    bitmap.close();
  }
}

/**
 * The camera's JPEG inside a RAW file, decoded as any JPEG and turned upright by the container's orientation
 * when the preview carries none (the CLI does the same: both score the same pixels).
 */
async function decodeRawPreview(file: Blob, kind: RawKind, thumbSize: number): Promise<DecodedImage> {
  const preview = findRawPreview(new Uint8Array(await file.arrayBuffer()), kind);
  const jpeg = file.slice(preview.offset, preview.offset + preview.length, 'image/jpeg');
  const own = sniffImage(new Uint8Array(await jpeg.slice(0, HEADER_BYTES).arrayBuffer())).orientation;
  const turn = own === 1 ? preview.orientation : 1;
  const decoded = await decodeImage(jpeg, turn === 1 ? thumbSize : 0);
  const format = `${kind.toUpperCase()} preview`;
  if (turn === 1) return { ...decoded, format };
  const pixels = orientPixels(decoded.pixels, turn);
  const swap = turn >= 5;
  const from = decoded.downscaledFrom;
  const t = performance.now();
  const bitmap = await createImageBitmap(new ImageData(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height));
  try {
    const thumb = await makeThumb(bitmap, thumbSize);
    const ms = { ...decoded.ms, thumbnail: decoded.ms.thumbnail + performance.now() - t };
    return { ...decoded, pixels, format, downscaledFrom: from && swap ? { width: from.height, height: from.width } : from, thumb, ms };
  } finally {
    bitmap.close();
  }
}
