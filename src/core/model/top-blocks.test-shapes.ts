// Test-only: the shapes of MobileNetV2 alpha=1.4's top tensors, so tests can build real-sized parameters
// without loading the graph.
// Shapes of MobileNetV2 alpha=1.4's top (BN folded): 1x1 kernels 2-D [in, out], depthwise [3, 3, C, 1].
export function topWeightShape(name: string): number[] {
  const c = (s: string) => (s === 'expanded_conv_16' ? 448 : 224);
  const m = /^(expanded_conv_1[456])\/(expand|depthwise|project)\/(Conv2D_weights|Conv2D_bn_offset|depthwise_weights|depthwise_bn_offset)$/.exec(name);
  if (m) {
    const [, scope, part, kind] = m;
    if (part === 'expand') return kind === 'Conv2D_weights' ? [224, 1344] : [1344];
    if (part === 'depthwise') return kind === 'depthwise_weights' ? [3, 3, 1344, 1] : [1344];
    return kind === 'Conv2D_weights' ? [1344, c(scope!)] : [c(scope!)];
  }
  return name === 'Conv_1/Conv2D_weights' ? [448, 1792] : [1792];
}
