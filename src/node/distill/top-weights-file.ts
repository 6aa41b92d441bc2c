// Writes fine-tuned top-block weights back into the backbone's own weight file, so the browser keeps
// loading one GraphModel (PLATFORM.md). Weights are re-quantised to the graph's per-tensor uint8 form
// (value = q * scale + min), which keeps the model at its shipped size.
import fs from 'node:fs';
import path from 'node:path';
import { BACKBONE_SCOPE } from '../../core/model/features.ts';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

function specBytes(spec: WeightSpec): number {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (!spec.quantization) return n * 4;
  return n * (spec.quantization.dtype === 'uint16' ? 2 : spec.quantization.dtype === 'float16' ? 2 : 1);
}

/** Per-tensor affine uint8 quantisation, as the TF.js converter stores weights. */
export function quantiseUint8(values: Float32Array): { bytes: Uint8Array; min: number; scale: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error('cannot quantise a non-finite weight');
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? (max - min) / 255 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.min(255, Math.max(0, Math.round((values[i]! - min) / scale)));
  return { bytes, min, scale };
}

/**
 * Copies backbone.json/backbone.bin from `fromDir` to `toDir` with the named tensors (relative to the
 * MobilenetV2 scope) replaced. Every replaced tensor must exist with the same number of values.
 */
export function writeBackboneWithWeights(fromDir: string, toDir: string, replaced: ReadonlyMap<string, Float32Array>, note: string): void {
  const graph = JSON.parse(fs.readFileSync(path.join(fromDir, 'backbone.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(fromDir, 'backbone.bin'));
  const specs = graph.weightsManifest[0].weights as WeightSpec[];
  const parts: Uint8Array[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const spec of specs) {
    const size = specBytes(spec);
    const local = spec.name.startsWith(BACKBONE_SCOPE) ? spec.name.slice(BACKBONE_SCOPE.length) : spec.name;
    const values = replaced.get(local);
    if (values) {
      const n = spec.shape.reduce((a, b) => a * b, 1);
      if (values.length !== n) throw new Error(`weight ${local}: ${values.length} values, the graph expects ${n}`);
      if (spec.quantization?.dtype === 'uint8') {
        const q = quantiseUint8(values);
        spec.quantization = { ...spec.quantization, min: q.min, scale: q.scale };
        parts.push(q.bytes);
      } else if (!spec.quantization) {
        parts.push(new Uint8Array(new Float32Array(values).buffer));
      } else {
        throw new Error(`weight ${local} is stored as ${spec.quantization.dtype}, which this writer does not handle`);
      }
      seen.add(local);
    } else {
      parts.push(bin.subarray(offset, offset + size));
    }
    offset += size;
  }
  if (offset !== bin.length) throw new Error(`backbone weight layout mismatch: specs cover ${offset} bytes, file has ${bin.length}`);
  const missing = [...replaced.keys()].filter((k) => !seen.has(k));
  if (missing.length) throw new Error(`backbone graph has no weights named ${missing.join(', ')}`);
  graph.userDefinedMetadata = { ...(graph.userDefinedMetadata ?? {}), fineTuned: note };
  fs.mkdirSync(toDir, { recursive: true });
  fs.writeFileSync(path.join(toDir, 'backbone.bin'), Buffer.concat(parts));
  fs.writeFileSync(path.join(toDir, 'backbone.json'), JSON.stringify(graph));
}
