// Decodes an image file to RGB pixels for the model. sharp applies the EXIF orientation (as browsers do)
// and caps huge images at MAX_DECODE_SIDE, the same cap the browser decoder uses. Files are sniffed first
// with the worker's own header reader, so a broken file gets the same error code and sentence as in the app.
import fs from 'node:fs/promises';
import sharp from 'sharp';
import { ImageDecodeError, imageErrors } from '../core/image/image-error.ts';
import { HEADER_BYTES, type ImageHeader, sniffImage } from '../core/image/image-header.ts';
import { checkClaimedSize, MAX_INPUT_PIXELS } from '../core/image/limits.ts';
import { findRawPreview, orientPixels, rawKindOf } from '../core/image/raw-preview.ts';
import { decodeHeif, HEIF_MAX_PIXELS } from '../core/image/heif.ts';
import { MAX_DECODE_SIDE, type Pixels } from '../core/model/preprocess.ts';

export { ImageDecodeError };

/** Decodes `input` (a path or the file's bytes); errors are ImageDecodeErrors whose message starts with `label`. */
export async function decodeImageFile(input: string | Uint8Array, label = typeof input === 'string' ? input : 'image'): Promise<Pixels> {
  const bytes = typeof input === 'string' ? await fs.readFile(input) : input;
  try {
    return await decodeBytes(bytes);
  } catch (err) {
    const e = err instanceof ImageDecodeError ? err : imageErrors.corrupt('unknown', err instanceof Error ? err.message : String(err));
    throw new ImageDecodeError(e.code, `${label}: ${e.message}`);
  }
}

async function decodeBytes(bytes: Uint8Array): Promise<Pixels> {
  if (bytes.length === 0) throw imageErrors.empty();
  const raw = rawKindOf(bytes.subarray(0, HEADER_BYTES));
  if (raw) {
    // The camera's own JPEG inside the RAW file, turned upright by the container's orientation when the
    // preview does not carry one (the worker does the same, so both score the same pixels).
    const preview = findRawPreview(bytes, raw);
    const jpeg = bytes.subarray(preview.offset, preview.offset + preview.length);
    const own = sniffImage(jpeg.subarray(0, HEADER_BYTES)).orientation;
    return orientPixels(await decodeBytes(jpeg), own === 1 ? preview.orientation : 1);
  }
  const head = sniffImage(bytes.subarray(0, HEADER_BYTES));
  if (head.format === 'text') throw imageErrors.text();
  checkClaimedSize(head);
  // HEVC inside (an 'hvcC' box): straight to libheif, sharp would only print its plugin errors.
  if (head.format === 'heic' && hasBox(bytes.subarray(0, HEADER_BYTES), 'hvcC')) return decodeHevc(bytes, head);
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate()
      .resize({ width: MAX_DECODE_SIDE, height: MAX_DECODE_SIDE, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
  } catch (err) {
    const reason = sharpReason(err);
    // sharp's prebuilt libvips has no BMP reader, and no HEVC decoder (HEIF with AV1 inside it does read).
    if (head.format === 'bmp' && /unsupported image format/i.test(reason)) throw imageErrors.unsupported('bmp', 'the CLI: convert them to PNG');
    if (head.format === 'heic') return decodeHevc(bytes, head);
    if (head.format === 'unknown') throw imageErrors.unknown();
    if (/pixel limit/i.test(reason) && head.width && head.height) throw imageErrors.tooLarge(head.width, head.height, MAX_INPUT_PIXELS);
    throw imageErrors.corrupt(head.format, reason);
  }
}

/** HEIC with HEVC inside: libheif in wasm (as in the browser), then the usual size cap. */
async function decodeHevc(bytes: Uint8Array, head: ImageHeader): Promise<Pixels> {
  checkClaimedSize(head, HEIF_MAX_PIXELS);
  const rgba = await decodeHeif(bytes);
  const { data, info } = await sharp(rgba.data, { raw: { width: rgba.width, height: rgba.height, channels: 4 } })
    .resize({ width: MAX_DECODE_SIDE, height: MAX_DECODE_SIDE, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

function hasBox(b: Uint8Array, type: string): boolean {
  const codes = [...type].map((c) => c.charCodeAt(0));
  for (let i = 0; i + 4 <= b.length; i++) if (b[i] === codes[0] && b[i + 1] === codes[1] && b[i + 2] === codes[2] && b[i + 3] === codes[3]) return true;
  return false;
}

/** sharp's first line, without its generic prefix: the decoder library's own words are the useful part. */
function sharpReason(err: unknown): string {
  const first = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
  return first.replace(/^Input buffer has corrupt header:\s*/i, '').replace(/[\s:]+$/, '') || 'the decoder gave no reason';
}
