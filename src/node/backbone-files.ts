// Loads the frozen backbone graph straight from a model folder (used before any head exists, e.g. to
// extract the features a head is trained on).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export async function loadBackboneFromDir(dir: string, graphFile = 'backbone.json', weightsFile = 'backbone.bin'): Promise<tf.GraphModel> {
  const graph = JSON.parse(fs.readFileSync(path.join(dir, graphFile), 'utf8'));
  const bin = fs.readFileSync(path.join(dir, weightsFile));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: graph.modelTopology, weightSpecs: graph.weightsManifest[0].weights, weightData }));
}

/**
 * Names the features a backbone gives with these taps: cached features are kept under it, so a changed
 * backbone (or tap list) can never be trained on with features another one computed.
 */
export function featureSetId(dir: string, taps: unknown, graphFile = 'backbone.json', weightsFile = 'backbone.bin'): string {
  const h = crypto.createHash('sha256');
  for (const f of [graphFile, weightsFile]) h.update(fs.readFileSync(path.join(dir, f)));
  return `bb-${h.update(JSON.stringify(taps)).digest('hex').slice(0, 12)}`;
}
