// The trainable top of the backbone: MobileNetV2's last three inverted-residual blocks (expanded_conv_14..16)
// and Conv_1, written as plain TF.js ops so they can be fine-tuned on the wasm backend, which has no
// convolution gradients (PLATFORM.md). The 1x1 convolutions are matrix products and the 3x3 depthwise
// convolution has a hand-written gradient; batch norm is already folded into each conv's bias in the
// shipped graph, so the parameters are exactly the graph's weight tensors.
import * as tf from '@tensorflow/tfjs-core';
import type { ResizeSpec } from './preprocess.ts';

/** The frozen trunk's output node (relative to the MobilenetV2 scope) and its channels: what the top blocks take. */
export const TRUNK_NODE = 'expanded_conv_13/project/BatchNorm/FusedBatchNormV3';
export const TRUNK_CHANNELS = 224;
/** Output stride of the trunk: a 224 px view becomes a 7 x 7 grid. */
export const TRUNK_STRIDE = 32;

export function trunkGrid(spec: ResizeSpec): number {
  if (spec.fit !== 'square' || spec.size % TRUNK_STRIDE !== 0) {
    throw new Error(`the trunk cache needs a square view whose size is a multiple of ${TRUNK_STRIDE} (got ${spec.fit} ${spec.size})`);
  }
  return spec.size / TRUNK_STRIDE;
}

interface BlockSpec {
  readonly scope: string;
  readonly residual: boolean;
}

const BLOCKS: readonly BlockSpec[] = [
  { scope: 'expanded_conv_14', residual: true },
  { scope: 'expanded_conv_15', residual: true },
  { scope: 'expanded_conv_16', residual: false },
];
const HEAD_CONV = 'Conv_1';

/** Graph weight names (relative to the MobilenetV2 scope) of every trainable tensor, in a fixed order. */
export const TOP_WEIGHT_NAMES: readonly string[] = [
  ...BLOCKS.flatMap((b) => [
    `${b.scope}/expand/Conv2D_weights`,
    `${b.scope}/expand/Conv2D_bn_offset`,
    `${b.scope}/depthwise/depthwise_weights`,
    `${b.scope}/depthwise/depthwise_bn_offset`,
    `${b.scope}/project/Conv2D_weights`,
    `${b.scope}/project/Conv2D_bn_offset`,
  ]),
  `${HEAD_CONV}/Conv2D_weights`,
  `${HEAD_CONV}/Conv2D_bn_offset`,
];

/** Parameters by TOP_WEIGHT_NAMES entry. 1x1 conv weights are kept 2-D [in, out]; depthwise [3, 3, C, 1]. */
export type TopParams = ReadonlyMap<string, tf.Tensor>;

/** The outputs the student's features pool: the expanded_conv_15/add tap and the Conv_1/Relu6 tap. */
export interface TopOutputs {
  readonly block15: tf.Tensor4D;
  readonly conv1: tf.Tensor4D;
}

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

// Matrix product whose gradient transposes explicitly: on wasm the transpose flags are 15-23x slower.
const matMulExplicit = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D)];
    },
  };
}) as unknown as CustomGradFn) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

// 3x3 depthwise convolution, stride 1, SAME padding. Input gradient: the same convolution of dy with the
// kernel rotated 180 degrees; kernel gradient: for each of the 9 taps, the input shifted by that tap times dy.
const depthwise3x3 = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const dx = tf.depthwiseConv2d(dy as tf.Tensor4D, tf.reverse(ws, [0, 1]), 1, 'same');
      const [n, h, wd, c] = xs.shape;
      const padded = tf.pad(xs, [[0, 0], [1, 1], [1, 1], [0, 0]]);
      const taps: tf.Tensor1D[] = [];
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) taps.push(tf.sum(tf.mul(tf.slice(padded, [0, i, j, 0], [n, h, wd, c]), dy), [0, 1, 2]));
      }
      return [dx, tf.stack(taps).reshape([3, 3, c, 1])];
    },
  };
}) as unknown as CustomGradFn) as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

// relu6 with a gradient every backend has (Step is missing on some).
const relu6 = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.clipByValue(x, 0, 6),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, tf.logicalAnd(tf.greater(saved[0]!, 0), tf.less(saved[0]!, 6)).toFloat())],
  };
}) as unknown as CustomGradFn) as <T extends tf.Tensor>(x: T) => T;

const param = (p: TopParams, name: string): tf.Tensor => {
  const t = p.get(name);
  if (!t) throw new Error(`top-block parameter ${name} is missing`);
  return t;
};

/** Forward pass of the top from trunk activations [N, g, g, 224]; differentiable on every backend. */
export function topForward(p: TopParams, trunk: tf.Tensor4D): TopOutputs {
  const [n, h, w] = trunk.shape;
  const conv1x1 = (x: tf.Tensor2D, name: string) => tf.add(matMulExplicit(x, param(p, `${name}/Conv2D_weights`) as tf.Tensor2D), param(p, `${name}/Conv2D_bn_offset`)) as tf.Tensor2D;
  let x = trunk.reshape([n * h * w, TRUNK_CHANNELS]) as tf.Tensor2D;
  let block15: tf.Tensor4D | undefined;
  for (const b of BLOCKS) {
    const expanded = relu6(conv1x1(x, `${b.scope}/expand`));
    const c = expanded.shape[1];
    const dw = depthwise3x3(expanded.reshape([n, h, w, c]), param(p, `${b.scope}/depthwise/depthwise_weights`) as tf.Tensor4D);
    const dwAct = relu6(tf.add(dw, param(p, `${b.scope}/depthwise/depthwise_bn_offset`)).reshape([n * h * w, c]) as tf.Tensor2D);
    const projected = conv1x1(dwAct, `${b.scope}/project`);
    x = b.residual ? (tf.add(x, projected) as tf.Tensor2D) : projected;
    if (b.scope === 'expanded_conv_15') block15 = x.reshape([n, h, w, x.shape[1]]) as tf.Tensor4D;
  }
  const conv1 = relu6(conv1x1(x, HEAD_CONV));
  return { block15: block15!, conv1: conv1.reshape([n, h, w, conv1.shape[1]]) as tf.Tensor4D };
}

/**
 * Reads the top's parameters out of a loaded backbone graph (dequantised float32), 1x1 kernels as 2-D.
 * `graphWeights` is GraphModel.weights; `prefix` the MobilenetV2 scope of its node names.
 */
export function topParamsFromGraph(graphWeights: Record<string, tf.Tensor[]>, prefix: string): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const name of TOP_WEIGHT_NAMES) {
    const t = graphWeights[prefix + name]?.[0];
    if (!t) throw new Error(`backbone graph has no weight ${name}: is it MobileNetV2 alpha=1.4?`);
    out.set(name, name.endsWith('Conv2D_weights') ? t.reshape([t.shape[2]!, t.shape[3]!]) : t.clone());
  }
  return out;
}
