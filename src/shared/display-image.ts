// What the page shows for an image file: the file itself; for a RAW file (which no browser can show) the
// JPEG the camera embedded, drawn upright when only the RAW container records the orientation; for a HEIC
// the browser cannot decode, a JPEG of it decoded by libheif (wasm, loaded on the first one).
import { HEADER_BYTES, sniffImage } from '../core/image/image-header.ts';
import { decodeHeif } from '../core/image/heif.ts';
import { findRawPreview, orientationTransform, type RawPreview, rawKindOf } from '../core/image/raw-preview.ts';

async function heifAsJpeg(file: Blob): Promise<Blob> {
  try {
    (await createImageBitmap(file)).close();
    return file; // this browser shows HEIC itself
  } catch {
    const rgba = await decodeHeif(new Uint8Array(await file.arrayBuffer()));
    const canvas = new OffscreenCanvas(rgba.width, rgba.height);
    canvas.getContext('2d')!.putImageData(new ImageData(rgba.data as Uint8ClampedArray<ArrayBuffer>, rgba.width, rgba.height), 0, 0);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  }
}

const previews = new WeakMap<Blob, RawPreview>();

/** Formats a browser shows itself. */
const SHOWN_AS_IS: ReadonlySet<string> = new Set(['jpeg', 'png', 'gif', 'webp', 'avif', 'bmp']);

/**
 * `knownFormat` is what the worker found the file to be when it scored it: a file known to be one the browser
 * shows is shown unread. Stepping through a shoot shows a new file per key, and reading its header again
 * costs the key's frame a round trip to the browser process per read (Blob.slice, arrayBuffer).
 */
export async function displayBlob(file: Blob, knownFormat?: string | null): Promise<Blob> {
  if (knownFormat && SHOWN_AS_IS.has(knownFormat)) return file;
  const prefix = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  if (sniffImage(prefix).format === 'heic') return heifAsJpeg(file);
  const kind = rawKindOf(prefix);
  if (!kind) return file;
  // Found once per file: stepping back to a RAW must not read its 20-60 MB again.
  let preview = previews.get(file);
  if (!preview) previews.set(file, (preview = findRawPreview(new Uint8Array(await file.arrayBuffer()), kind)));
  const jpeg = file.slice(preview.offset, preview.offset + preview.length, 'image/jpeg');
  const own = sniffImage(new Uint8Array(await jpeg.slice(0, HEADER_BYTES).arrayBuffer())).orientation;
  if (own !== 1 || preview.orientation === 1) return jpeg;
  const bitmap = await createImageBitmap(jpeg);
  try {
    const { width, height, matrix } = orientationTransform(preview.orientation, bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) return jpeg;
    ctx.setTransform(...matrix);
    ctx.drawImage(bitmap, 0, 0);
    return await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  } finally {
    bitmap.close();
  }
}
