// What the page shows for an image file: the file itself, or for a RAW file (which no browser can show) the
// JPEG the camera embedded, drawn upright when only the RAW container records the orientation.
import { HEADER_BYTES, sniffImage } from '../core/image/image-header.ts';
import { findRawPreview, orientationTransform, rawKindOf } from '../core/image/raw-preview.ts';

export async function displayBlob(file: Blob): Promise<Blob> {
  const kind = rawKindOf(new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
  if (!kind) return file;
  const preview = findRawPreview(new Uint8Array(await file.arrayBuffer()), kind);
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
