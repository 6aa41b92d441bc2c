// The model input as TF.js ops build it: the path toModelInput took before input-pixels.ts, kept as the
// reference the JS path is checked against (unit test, and `npm run bench:input-path` on the validation split).
import * as tf from '@tensorflow/tfjs-core';
import type { InputSource } from './input-pixels.ts';

/** [1, th, tw, 3] float32 in [0, 1]: int32 -> float / 255 -> avgPool(2, 2) halvings -> resizeBilinear. */
export function modelInputViaTfOps(p: InputSource, th: number, tw: number): tf.Tensor4D {
  return tf.tidy(() => {
    const bytes = p.data instanceof Uint8Array ? p.data : Uint8Array.from(p.data);
    let x = tf.tensor3d(bytes, [p.height, p.width, p.channels], 'int32');
    if (p.channels === 4) x = x.slice([0, 0, 0], [p.height, p.width, 3]);
    let img = x.toFloat().div(255).expandDims(0) as tf.Tensor4D;
    while (img.shape[1] >= 2 * th && img.shape[2] >= 2 * tw) img = tf.avgPool(img, 2, 2, 'valid');
    if (img.shape[1] !== th || img.shape[2] !== tw) img = tf.image.resizeBilinear(img, [th, tw], false, true);
    return img;
  });
}
