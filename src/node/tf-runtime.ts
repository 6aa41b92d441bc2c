// The one place the Node side picks a TF.js backend: wasm (tfjs-node cannot be installed here, and pure-JS
// cpu is ~25x slower). Importing this module before any tensor work is enough.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<string> | undefined;

export function initTf(backend: 'wasm' | 'cpu' = 'wasm'): Promise<string> {
  ready ??= (async () => {
    await tf.setBackend(backend);
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}
