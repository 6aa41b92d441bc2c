// The page's side of "Teach on my photos": starts the teacher worker only when the user loads a model
// folder, hands it the scored images the teacher has not judged yet (by content key, so a photo added twice
// is judged once), and turns its events into the store's teacher slice. A crashed worker fails the teacher
// with the reason; judgments already made stay.
import { useLeaf } from '../store/store.ts';
import type { FolderFile, TeacherEvent, TeacherImageRequest, TeacherRequest } from '../worker/teacher-protocol.ts';
import { fileOf } from './scoring-service.ts';

const store = () => useLeaf.getState();
let worker: Worker | null = null;
let pendingFolder = '';

function send(req: TeacherRequest): void {
  worker!.postMessage(req);
}

function onEvent(e: TeacherEvent): void {
  const s = store();
  switch (e.type) {
    case 'loaded':
      s.patchTeacher({ status: 'ready', error: null, info: { folder: pendingFolder, id: e.id, kind: e.kind, dtype: e.dtype, device: e.device, loadMs: e.ms }, judgments: {}, failed: [], run: null });
      return;
    case 'load-failed':
      s.patchTeacher({ status: 'error', info: null, error: `${pendingFolder}: ${e.message}` });
      return;
    case 'judged':
      s.addTeacherJudgment(e.judgment.key, e.judgment, e.cached);
      return;
    case 'judge-failed':
      s.addTeacherFailure({ key: e.key, name: e.name, message: e.message });
      return;
    case 'judge-done':
      s.patchTeacher({ status: 'ready' });
  }
}

function startWorker(): Worker {
  const w = new Worker(new URL('../worker/teacher.worker.ts', import.meta.url), { type: 'module', name: 'leaf-teacher' });
  w.onmessage = (event: MessageEvent<TeacherEvent>) => onEvent(event.data);
  w.onerror = (event) => {
    event.preventDefault();
    w.terminate();
    if (worker === w) worker = null;
    store().patchTeacher({ status: 'error', run: null, error: `the teacher worker stopped: ${event.message || 'it crashed (out of memory?)'}; judgments made so far are kept` });
  };
  return w;
}

/** Loads a picked model folder: `files` with their paths inside the picked folder's parent ("<folder>/onnx/model.onnx"). */
export function loadTeacherFolder(folderName: string, files: readonly FolderFile[]): void {
  worker ??= startWorker();
  pendingFolder = folderName;
  // A real WebGPU adapter runs the scoring too; where the engine settled for a CPU backend, so does the teacher.
  const device = store().engine.backend?.backend === 'webgpu' ? 'webgpu' : 'wasm';
  store().patchTeacher({ status: 'loading', error: null });
  send({ type: 'load', folderName, files, device });
}

/** Scored images the teacher has not judged (or failed on), one per content key. */
export function unjudgedImages(): TeacherImageRequest[] {
  const { images, teacher } = store();
  const seen = new Set(Object.keys(teacher.judgments));
  const out: TeacherImageRequest[] = [];
  for (const id of images.order) {
    const item = images.byId[id]!;
    const file = fileOf(id);
    if (item.status !== 'scored' || !item.contentKey || seen.has(item.contentKey) || !file) continue;
    seen.add(item.contentKey);
    out.push({ key: item.contentKey, name: item.name, file });
  }
  return out;
}

export function judgeWithTeacher(): void {
  if (!worker || store().teacher.status !== 'ready') return;
  const images = unjudgedImages();
  if (images.length === 0) return;
  store().patchTeacher({ status: 'judging', failed: [], run: { total: images.length, done: 0, cached: 0 } });
  send({ type: 'judge', images });
}

export function stopTeacher(): void {
  if (worker) send({ type: 'stop' });
}
