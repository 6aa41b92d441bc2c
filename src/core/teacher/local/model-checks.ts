// Load-time checks of a loaded model's graphs against what a teacher will feed them and read from them.
// Each failure names the file, the tensor and what to do, instead of an onnxruntime error mid-run.
import { LocalModelError } from './local-model-error.ts';
import type { Inputs, SessionInfo, TensorLike } from './transformers-runtime.ts';

/** The session must exist, take `inputs` and give `outputs`. */
export function requireSession(
  sessions: ReadonlyMap<string, SessionInfo>,
  name: string,
  file: string,
  io: { readonly inputs: readonly string[]; readonly outputs: readonly string[] },
): SessionInfo {
  const session = sessions.get(name);
  if (!session) throw new LocalModelError('load-failed', `${file} was not loaded as the ${name} graph`);
  const missingIn = io.inputs.filter((n) => !session.inputNames.includes(n));
  if (missingIn.length) {
    throw new LocalModelError(
      'missing-input',
      `${file} has no input ${missingIn.join(', ')} (its inputs: ${session.inputNames.join(', ')}): it is not the graph this teacher needs`,
    );
  }
  const missingOut = io.outputs.filter((n) => !session.outputNames.includes(n));
  if (missingOut.length) {
    throw new LocalModelError(
      'missing-output',
      `${file} has no output ${missingOut.join(', ')} (its outputs: ${session.outputNames.join(', ')}): export it with ${missingOut.join(', ')} as a graph output`,
    );
  }
  return session;
}

/** The processor's pixel_values must fit the graph's declared fixed sizes. */
export function checkPixelSize(session: SessionInfo, file: string, processed: Inputs): void {
  const pixels = processed.pixel_values as TensorLike | undefined;
  if (!pixels) throw new LocalModelError('bad-config', `the image processor (preprocessor_config.json) made no pixel_values`);
  const declared = session.inputShapes.get('pixel_values');
  if (!declared || declared.length !== pixels.dims.length) return; // nothing fixed to compare with
  const mismatch = declared.some((d, i) => i > 0 && typeof d === 'number' && d !== pixels.dims[i]);
  if (mismatch) {
    throw new LocalModelError(
      'input-size',
      `${file} expects pixel_values of ${declared.slice(1).join('x')} but preprocessor_config.json makes ` +
        `${pixels.dims.slice(1).join('x')}: its size/crop_size do not belong to this model`,
    );
  }
}

/** Last axis of a [1, ..., n] float output as plain numbers. */
export function lastRow(t: TensorLike, what: string): number[] {
  const n = t.dims.at(-1) ?? 0;
  if (n === 0 || t.data.length < n) throw new LocalModelError('bad-output', `${what} is empty (dims ${t.dims.join('x')})`);
  return Array.from(t.data as ArrayLike<number>).slice(t.data.length - n).map(Number);
}
