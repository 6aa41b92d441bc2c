// Limits every decoder in the project applies (worker and CLI), so a hostile or broken file is refused the
// same way everywhere before it can take the memory or the time of a whole batch.
import { imageErrors } from './image-error.ts';
import { type ImageHeader, orientedSize } from './image-header.ts';

/**
 * Largest image (width x height) we agree to decode. Decoders shrink huge images while decoding, but not every
 * format can (PNG, GIF, WebP are decoded whole first), so a header claiming 50,000 x 50,000 px would ask for
 * 10 GB. 900 MP is above any single camera frame and leaves stitched panoramas of 30,000 x 30,000 px in.
 */
export const MAX_INPUT_PIXELS = 30_000 * 30_000;

/** Per-file time limit (decode + model): one file that hangs a decoder must not stall the batch. */
export const FILE_TIME_LIMIT_MS = 60_000;

/** Throws `too-large` when the header states a size above MAX_INPUT_PIXELS; a header without a size passes. */
export function checkClaimedSize(head: ImageHeader, maxPixels = MAX_INPUT_PIXELS): void {
  const size = orientedSize(head);
  if (size && size.width * size.height > maxPixels) throw imageErrors.tooLarge(size.width, size.height, maxPixels);
}
