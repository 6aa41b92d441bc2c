// Decodes an image file to RGB pixels for the model. sharp applies the EXIF orientation (as browsers do)
// and caps huge images at MAX_DECODE_SIDE, the same cap the browser decoder uses.
import sharp from 'sharp';
import { MAX_DECODE_SIDE, type Pixels } from '../core/model/preprocess.ts';

export class SharpDecodeError extends Error {
  readonly code = 'decode-failed';
}

export async function decodeImageFile(input: string | Uint8Array, label = typeof input === 'string' ? input : 'image'): Promise<Pixels> {
  try {
    const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: 30000 * 30000, animated: false })
      .rotate()
      .resize({ width: MAX_DECODE_SIDE, height: MAX_DECODE_SIDE, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new SharpDecodeError(`${label}: cannot decode image (${reason})`);
  }
}
