// The teacher worker ("Teach on my photos"): loads the local model folder the user picked with
// Transformers.js (WebGPU where a real adapter exists, else wasm) and judges the user's images one at a
// time, through the same teacher classes as `leaf teacher local`. Judgments are cached per teacher id and
// image content key; a failed image is reported with its reason and the run goes on.
import ortWasmUrl from '../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm?url';
import { env } from '@huggingface/transformers';
import { LocalModelError } from '../core/teacher/local/local-model-error.ts';
import { loadCheckedTeacher } from '../core/teacher/local/load-local-teacher.ts';
import type { LocalTeacher } from '../core/teacher/local/local-teacher.ts';
import { cachedJudgments, saveJudgment } from './teacher-cache.ts';
import { pickedFolder } from './teacher-folder.ts';
import type { TeacherEvent, TeacherImageRequest, TeacherRequest } from './teacher-protocol.ts';

// The ONNX runtime's wasm comes from this app's own build, never a CDN; one thread (the page is not
// cross-origin isolated, and the scoring workers use the other cores).
const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number; proxy?: boolean } };
if (onnx.wasm) {
  onnx.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, self.location.href).href };
  onnx.wasm.numThreads = 1;
}

const post = (e: TeacherEvent) => self.postMessage(e);
let teacher: LocalTeacher | null = null;
let stopRequested = false;
let judging: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<TeacherRequest>) => {
  const req = event.data;
  if (req.type === 'load') void load(req);
  else if (req.type === 'judge') judging = judging.then(() => judge(req.images));
  else if (req.type === 'stop') stopRequested = true;
};

async function load(req: Extract<TeacherRequest, { type: 'load' }>): Promise<void> {
  const t0 = performance.now();
  try {
    await teacher?.dispose();
    teacher = null;
    let device = req.device;
    const picked = await pickedFolder(req.folderName, req.files, device);
    try {
      teacher = await loadCheckedTeacher(picked.id, picked.folder, picked.source);
    } catch (err) {
      // A graph WebGPU cannot run (an unsupported op, too little memory) may still run on wasm; the folder's
      // own faults (a missing file, no level words) are the same on any device.
      if (device !== 'webgpu' || (err instanceof LocalModelError && err.code !== 'load-failed')) throw err;
      device = 'wasm';
      teacher = await loadCheckedTeacher(picked.id, picked.folder, { ...picked.source, device });
    }
    post({ type: 'loaded', id: teacher.id, kind: picked.folder.kind, dtype: picked.folder.dtype, device, ms: performance.now() - t0 });
  } catch (err) {
    post({ type: 'load-failed', code: err instanceof LocalModelError ? err.code : 'load-failed', message: err instanceof Error ? err.message : String(err) });
  }
}

async function judge(images: readonly TeacherImageRequest[]): Promise<void> {
  stopRequested = false;
  const t = teacher;
  if (!t) return post({ type: 'judge-done', stopped: true });
  const cached = await cachedJudgments(t.id, images.map((i) => i.key));
  for (const image of images) {
    if (stopRequested) return post({ type: 'judge-done', stopped: true });
    const known = cached.get(image.key);
    if (known) {
      post({ type: 'judged', judgment: known, cached: true });
      continue;
    }
    try {
      const bytes = new Uint8Array(await image.file.arrayBuffer());
      const j = await t.judgePoint({ key: image.key, name: image.name, bytes, mime: image.file.type || 'application/octet-stream' });
      const judgment = { key: image.key, score: j.score, reliability: j.reliability, probs: j.probs };
      await saveJudgment(t.id, judgment);
      post({ type: 'judged', judgment, cached: false });
    } catch (err) {
      post({ type: 'judge-failed', key: image.key, name: image.name, message: err instanceof Error ? err.message : String(err) });
    }
  }
  post({ type: 'judge-done', stopped: false });
}
