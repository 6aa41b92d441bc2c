// Checkpoints of a backbone fine-tuning run: one file with a JSON header line and the raw float32 tensors,
// written to a temporary name and renamed, so a crash mid-write leaves the previous checkpoint intact.
// A checkpoint from another run (other base backbone, other settings) or a damaged one is refused with
// the reason, and the run starts over instead of training on foreign weights.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { FineTuneState } from '../../core/distill/fine-tune-top.ts';

const FORMAT = 'leaf-fine-tune-checkpoint';
const VERSION = 1;

interface Header {
  format: string;
  version: number;
  /** Identifies the run: base backbone, targets and settings. */
  run: string;
  step: number;
  headBias: number;
  tensors: { name: string; shape: number[] }[];
  headWeights: number;
}

export class CheckpointRefused extends Error {}

const OPTIMIZER = 'optimizer:';

export function saveCheckpoint(file: string, run: string, state: FineTuneState): void {
  const all = new Map<string, tf.Tensor>([...state.params, ...[...(state.optimizer ?? new Map<string, tf.Tensor>())].map(([k, t]) => [OPTIMIZER + k, t] as const)]);
  const names = [...all.keys()];
  const header: Header = {
    format: FORMAT,
    version: VERSION,
    run,
    step: state.step,
    headBias: state.headBias,
    tensors: names.map((n) => ({ name: n, shape: all.get(n)!.shape })),
    headWeights: state.headWeights.length,
  };
  const blobs = [...names.map((n) => Float32Array.from(all.get(n)!.dataSync())), state.headWeights];
  const head = Buffer.from(JSON.stringify(header) + '\n');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, head);
    for (const b of blobs) fs.writeSync(fd, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** The checkpoint's state, or null when there is none; throws CheckpointRefused when it cannot be used. */
export function loadCheckpoint(file: string, run: string): FineTuneState | null {
  if (!fs.existsSync(file)) return null;
  const buf = fs.readFileSync(file);
  const nl = buf.indexOf(0x0a);
  let header: Header;
  try {
    if (nl < 0) throw new Error('no header line');
    header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as Header;
  } catch (err) {
    throw new CheckpointRefused(`${file} is not a fine-tuning checkpoint (${(err as Error).message})`);
  }
  if (header.format !== FORMAT || header.version !== VERSION) {
    throw new CheckpointRefused(`${file} is not a LEAF fine-tuning checkpoint of version ${VERSION} (format ${String(header.format)} v${String(header.version)})`);
  }
  if (header.run !== run) throw new CheckpointRefused(`${file} belongs to another run (${header.run}, this run is ${run}): other base backbone, targets or settings`);
  const sizes = [...header.tensors.map((t) => t.shape.reduce((a, b) => a * b, 1)), header.headWeights];
  const expected = nl + 1 + sizes.reduce((a, b) => a + b, 0) * 4;
  if (buf.length !== expected) throw new CheckpointRefused(`${file} is truncated or damaged: ${buf.length} bytes, expected ${expected}`);
  const body = buf.buffer.slice(buf.byteOffset + nl + 1, buf.byteOffset + buf.length);
  let offset = 0;
  const take = (n: number) => {
    const out = new Float32Array(body, offset, n);
    offset += n * 4;
    return new Float32Array(out);
  };
  const params = new Map<string, tf.Tensor>();
  const optimizer = new Map<string, tf.Tensor>();
  header.tensors.forEach((t, i) => {
    const data = take(sizes[i]!);
    if (!data.every(Number.isFinite)) throw new CheckpointRefused(`${file}: tensor ${t.name} holds non-finite values`);
    if (t.name.startsWith(OPTIMIZER)) optimizer.set(t.name.slice(OPTIMIZER.length), tf.tensor(data, t.shape));
    else params.set(t.name, tf.tensor(data, t.shape));
  });
  return { step: header.step, params, headWeights: take(header.headWeights), headBias: header.headBias, optimizer };
}
