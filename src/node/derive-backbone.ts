// Derives the student's frozen backbone from the nsfwjs@4.4.0 dependency (MIT, (c) Infinite Red):
// its MobileNetV2 alpha=1.4 ImageNet feature extractor (TF-Hub) ships as UMD .min.js files holding the
// graph JSON and base64 weight shards. We write them out as a plain JSON + one weights file so they load
// fast, cut the graph at the last 1792-channel conv layer (the content classifier on top is dropped) and
// free the input size so the student can run at native resolution. Deterministic: the same dependency
// always gives the same bytes, which a test checks against the shipped model.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function deriveBackbone(outDir: string): { nodes: number; tensors: number; bytes: number } {
  const SRC = path.join(require.resolve('nsfwjs').replace(/dist[\\/].*$/, ''), 'dist/models/mobilenet_v2_mid');
  const graph = JSON.parse(JSON.stringify(require(path.join(SRC, 'model.min.js'))));
  const manifest = graph.weightsManifest[0] as { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: { dtype: string } }[] };
  const shards = manifest.paths.map((p) => Buffer.from(String(require(path.join(SRC, `${p}.min.js`))), 'base64'));
  const weights = Buffer.concat(shards);

  // Drop the nsfw content head: keep only the ancestors of the pooled feature vector.
  // Cut at the last conv layer (before the fixed 7x7 AvgPool) so any input size works; pooling is ours.
  const FEATURE_SUFFIX = 'MobilenetV2/Conv_1/Relu6';
  type GraphNode = { name: string; op: string; input?: string[]; attr: Record<string, unknown> };
  const nodes = graph.modelTopology.node as GraphNode[];
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const feature = nodes.find((n) => n.name.endsWith(FEATURE_SUFFIX));
  if (!feature) throw new Error('feature node not found in nsfwjs mobilenet_v2_mid');
  const used = new Set<string>();
  const stack = [feature.name];
  while (stack.length) {
    const name = stack.pop()!.replace(/^\^/, '').replace(/:\d+$/, '');
    if (used.has(name) || !byName.has(name)) continue;
    used.add(name);
    stack.push(...(byName.get(name)!.input ?? []));
  }
  graph.modelTopology.node = nodes.filter((n) => used.has(n.name));
  for (const n of graph.modelTopology.node as GraphNode[]) {
    if (n.op === 'Placeholder') n.attr.shape = { shape: { dim: [{ size: '-1' }, { size: '-1' }, { size: '-1' }, { size: '3' }] } };
  }

  // Weight bytes are laid out in manifest order; keep only those the remaining graph uses.
  const keptSpecs: typeof manifest.weights = [];
  const keptBytes: Buffer[] = [];
  let offset = 0;
  for (const spec of manifest.weights) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = n * (spec.quantization ? 1 : 4) * (spec.quantization && spec.quantization.dtype === 'uint16' ? 2 : 1);
    if (used.has(spec.name)) {
      keptSpecs.push(spec);
      keptBytes.push(weights.subarray(offset, offset + bytes));
    }
    offset += bytes;
  }
  if (offset !== weights.length) throw new Error(`weight layout mismatch: ${offset} != ${weights.length}`);
  graph.weightsManifest = [{ paths: ['backbone.bin'], weights: keptSpecs }];
  graph.userDefinedMetadata = {
    source: 'nsfwjs@4.4.0 dist/models/mobilenet_v2_mid (MIT); MobileNetV2 alpha=1.4 ImageNet feature vector (TF-Hub, Apache-2.0)',
  };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'backbone.json'), JSON.stringify(graph));
  const bin = Buffer.concat(keptBytes);
  fs.writeFileSync(path.join(outDir, 'backbone.bin'), bin);
  return { nodes: graph.modelTopology.node.length, tensors: keptSpecs.length, bytes: bin.length };
}
