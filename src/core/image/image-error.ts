// Why a file produced no score, in words a person can act on. One vocabulary for the worker (the app) and
// the CLI, so the same broken file gets the same code and the same sentence in both.
import type { ImageFormat } from './image-header.ts';

/** 'unreadable': the browser could not read the file at all (gone from its folder since it was listed). */
export type ImageErrorCode = 'empty' | 'not-image' | 'unsupported' | 'decode-failed' | 'too-large' | 'timeout' | 'inference-failed' | 'unreadable';

export interface ImageError {
  readonly code: ImageErrorCode;
  readonly message: string;
}

export class ImageDecodeError extends Error implements ImageError {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

export const FORMAT_LABEL: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'JPEG',
  png: 'PNG',
  gif: 'GIF',
  webp: 'WebP',
  avif: 'AVIF',
  heic: 'HEIC/HEIF',
  bmp: 'BMP',
  text: 'text',
  unknown: 'image',
};

export const imageErrors = {
  empty: () => new ImageDecodeError('empty', 'The file is empty (0 bytes)'),
  text: () => new ImageDecodeError('not-image', 'The file contains text, not image data'),
  unknown: () => new ImageDecodeError('not-image', 'Unrecognised file format: not a JPEG, PNG, WebP, GIF, AVIF or BMP image'),
  unsupported: (format: ImageFormat, where: string) => new ImageDecodeError('unsupported', `${FORMAT_LABEL[format]} images cannot be decoded by ${where}`),
  corrupt: (format: ImageFormat, detail?: string) =>
    new ImageDecodeError('decode-failed', `Corrupt or truncated ${FORMAT_LABEL[format]} file${detail ? `: ${detail}` : ''}`),
  tooLarge: (width: number, height: number, maxPixels: number) =>
    new ImageDecodeError(
      'too-large',
      `The file claims ${width} x ${height} px (${Math.round((width * height) / 1e6)} MP), more than the ${Math.round(maxPixels / 1e6)} MP LEAF decodes`,
    ),
  timeout: (ms: number, stage: string) => new ImageDecodeError('timeout', `Gave up after ${formatSeconds(ms)}: ${stage} took too long`),
};

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${+ms.toFixed(3)} ms`;
}
