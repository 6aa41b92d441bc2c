import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../distill/random.ts';
import { TOP_WEIGHT_NAMES, TRUNK_CHANNELS, topForward } from './top-blocks.ts';
import { topWeightShape as shapeOf } from './top-blocks.test-shapes.ts';

function randomParams(seed: number): Map<string, Float32Array> {
  const rand = mulberry32(seed);
  return new Map(
    TOP_WEIGHT_NAMES.map((n) => {
      const shape = shapeOf(n);
      const fanIn = shape.length === 2 ? shape[0]! : shape.length === 4 ? 9 : 1;
      return [n, new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => (rand() * 2 - 1) * (2 / Math.sqrt(fanIn)))];
    }),
  );
}

/** Reference top with TF.js's stock conv ops and automatic gradients (cpu backend only). */
function stockForward(p: Map<string, tf.Tensor>, x: tf.Tensor4D) {
  const conv = (t: tf.Tensor4D, name: string) => {
    const w = p.get(`${name}/Conv2D_weights`)!;
    return tf.add(tf.conv2d(t, w.reshape([1, 1, w.shape[0]!, w.shape[1]!]) as tf.Tensor4D, 1, 'same'), p.get(`${name}/Conv2D_bn_offset`)!) as tf.Tensor4D;
  };
  let h = x;
  let block15: tf.Tensor4D | undefined;
  for (const [scope, residual] of [['expanded_conv_14', true], ['expanded_conv_15', true], ['expanded_conv_16', false]] as const) {
    const e = tf.relu6(conv(h, `${scope}/expand`));
    const d = tf.relu6(tf.add(tf.depthwiseConv2d(e, p.get(`${scope}/depthwise/depthwise_weights`) as tf.Tensor4D, 1, 'same'), p.get(`${scope}/depthwise/depthwise_bn_offset`)!)) as tf.Tensor4D;
    const pr = conv(d, `${scope}/project`);
    h = residual ? (tf.add(h, pr) as tf.Tensor4D) : pr;
    if (scope === 'expanded_conv_15') block15 = h;
  }
  return { block15: block15!, conv1: tf.relu6(conv(h, 'Conv_1')) };
}

// A loss that touches both outputs unevenly, so every parameter gets a distinct gradient.
const lossOf = (o: { block15: tf.Tensor4D; conv1: tf.Tensor4D }, m1: tf.Tensor, m2: tf.Tensor) =>
  tf.add(tf.sum(tf.mul(o.block15, m1)), tf.sum(tf.mul(tf.square(o.conv1), m2))) as tf.Scalar;

async function gradients(backend: 'wasm' | 'cpu', values: Map<string, Float32Array>, forward: typeof topForward) {
  await tf.setBackend(backend);
  const rand = mulberry32(5);
  const n = 1;
  const g = 3;
  const x = tf.tensor4d(new Float32Array(n * g * g * TRUNK_CHANNELS).map(() => rand() * 4 - 2), [n, g, g, TRUNK_CHANNELS]);
  const m1 = tf.tensor4d(new Float32Array(n * g * g * 224).map(() => rand() - 0.5), [n, g, g, 224]);
  const m2 = tf.tensor4d(new Float32Array(n * g * g * 1792).map(() => rand() - 0.5), [n, g, g, 1792]);
  const vars = TOP_WEIGHT_NAMES.map((name) => tf.variable(tf.tensor(values.get(name)!, shapeOf(name))));
  const params = new Map(TOP_WEIGHT_NAMES.map((name, i) => [name, vars[i]! as tf.Tensor]));
  const { value, grads } = tf.variableGrads(() => lossOf(forward(params, x), m1, m2), vars);
  const out = { loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync() as Float32Array) };
  tf.dispose([x, m1, m2, value, ...vars, ...Object.values(grads)]);
  return out;
}

describe('top blocks (fine-tunable MobileNetV2 top)', () => {
  it('hand-written gradients on wasm equal automatic gradients of the stock conv ops on cpu', async () => {
    const values = randomParams(3);
    const ours = await gradients('wasm', values, topForward);
    const reference = await gradients('cpu', values, stockForward as unknown as typeof topForward);
    await tf.setBackend('wasm');
    expect(Math.abs(ours.loss - reference.loss)).toBeLessThan(1e-3 * Math.abs(reference.loss));
    TOP_WEIGHT_NAMES.forEach((name, i) => {
      const a = ours.grads[i]!;
      const b = reference.grads[i]!;
      let maxDiff = 0;
      let scale = 1e-6;
      for (let k = 0; k < a.length; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[k]! - b[k]!));
        scale = Math.max(scale, Math.abs(b[k]!));
      }
      expect(maxDiff / scale, name).toBeLessThan(1e-3);
    });
  }, 120_000);
});
