// Decodes a graph model's weights straight into the wasm backend's heap. TF.js's own decoder writes each
// dequantized weight into a new JavaScript array and then copies it into the heap: for the backbone's 4.3
// million uint8 weights that is 17 MB of fresh memory touched twice. Where the first touch of a page is
// dear (17-25 µs a page on the bench machine: `npm run bench:speed` prints it), that was most of loading
// the model. The values are the same: each is `q * scale + min` rounded once to float32, as in TF.js.
import * as tf from '@tensorflow/tfjs-core';

type WeightSpec = tf.io.WeightsManifestEntry;
type AffineSpec = WeightSpec & { quantization: { dtype: 'uint8' | 'uint16'; scale: number; min: number } };

/** The two methods of the wasm backend (BackendWasm) that let a tensor be written in place. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

function heapBackend(): HeapBackend | null {
  if (tf.getBackend() !== 'wasm') return null;
  const b = tf.backend() as unknown as Partial<HeapBackend>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function' ? (b as HeapBackend) : null;
}

function isAffine(spec: WeightSpec): spec is AffineSpec {
  const q = spec.quantization;
  return spec.dtype === 'float32' && (q?.dtype === 'uint8' || q?.dtype === 'uint16') && typeof q.scale === 'number' && typeof q.min === 'number';
}

/** Bytes a quantized weight takes in the weights file. */
const storedBytes = (spec: AffineSpec) => tf.util.sizeFromShape(spec.shape) * (spec.quantization.dtype === 'uint8' ? 1 : 2);

function dequantizeInto(heap: HeapBackend, spec: AffineSpec, bytes: ArrayBuffer, offset: number): tf.Tensor {
  const { dtype, scale, min } = spec.quantization;
  const count = tf.util.sizeFromShape(spec.shape);
  if (offset + storedBytes(spec) > bytes.byteLength) throw new Error(`weight "${spec.name}" runs past the end of the weights file (${bytes.byteLength} bytes)`);
  // uint16 views need an even offset: copy that weight's bytes out when it is odd.
  const q = dtype === 'uint8' ? new Uint8Array(bytes, offset, count) : new Uint16Array(offset % 2 ? bytes.slice(offset, offset + 2 * count) : bytes, offset % 2 ? 0 : offset, count);
  const info = heap.makeOutput(spec.shape, 'float32');
  // A view of the heap as it is now: nothing allocates until the loop ends.
  const values = heap.typedArrayFromHeap(info);
  for (let i = 0; i < count; i++) values[i] = q[i]! * scale + min;
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** `tf.io.decodeWeights`, writing uint8/uint16-quantized float32 weights in place on the wasm backend. */
export function decodeWeights(data: tf.io.WeightData, specs: WeightSpec[]): tf.NamedTensorMap {
  const heap = heapBackend();
  if (!heap || !specs.every(isAffine)) return tf.io.decodeWeights(data, specs);
  const bytes = data instanceof ArrayBuffer ? data : tf.io.concatenateArrayBuffers(data);
  const out: tf.NamedTensorMap = {};
  let offset = 0;
  try {
    for (const spec of specs) {
      out[spec.name] = dequantizeInto(heap, spec, bytes, offset);
      offset += storedBytes(spec);
    }
  } catch (err) {
    tf.dispose(Object.values(out));
    throw err;
  }
  return out;
}
