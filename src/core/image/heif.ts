// HEIC/HEIF through libheif compiled to WebAssembly (npm libheif-js, the same bundle in the worker, the page
// and Node), for the browsers and the CLI that cannot decode HEVC themselves (Chromium, sharp's prebuilt
// libvips). libheif applies the file's rotation and mirroring, as browsers do for EXIF orientation.
import { imageErrors } from './image-error.ts';
import type { Pixels } from '../model/preprocess.ts';

/** HEIC decodes whole, as RGBA in wasm memory (4 bytes a pixel): larger files are refused. */
export const HEIF_MAX_PIXELS = 100_000_000;

interface HeifImage {
  get_width(): number;
  get_height(): number;
  display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (result: unknown) => void): void;
  free?(): void;
}

/** The part of libheif's emscripten module used here. */
export interface Libheif {
  readonly HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[] };
}

let loaded: Promise<Libheif> | undefined;

/** libheif, loaded (about 2 MB with its wasm inlined) on the first HEIC file of this runtime. */
function libheif(): Promise<Libheif> {
  loaded ??= import('libheif-js/libheif-wasm/libheif-bundle.mjs').then((m) => m.default());
  return loaded;
}

/** The primary image of a HEIC/HEIF file as RGBA pixels. */
export async function decodeHeif(bytes: Uint8Array): Promise<Pixels> {
  const lib = await libheif();
  let images: HeifImage[];
  try {
    images = new lib.HeifDecoder().decode(bytes);
  } catch (err) {
    throw imageErrors.corrupt('heic', `libheif: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const image = images[0];
    if (!image) throw imageErrors.corrupt('heic', 'no image inside the file');
    const [width, height] = [image.get_width(), image.get_height()];
    if (!(width > 0 && height > 0)) throw imageErrors.corrupt('heic', 'the image has no pixels');
    if (width * height > HEIF_MAX_PIXELS) throw imageErrors.tooLarge(width, height, HEIF_MAX_PIXELS);
    const data = new Uint8ClampedArray(width * height * 4);
    const ok = await new Promise<boolean>((resolve) => image.display({ data, width, height }, (result) => resolve(!!result)));
    if (!ok) throw imageErrors.corrupt('heic', 'libheif could not decode the image data');
    return { data, width, height, channels: 4 };
  } finally {
    for (const im of images) im.free?.();
  }
}
