// One scoring thread of a FeaturePool: loads the student, then answers each request with the file's features.
import { parentPort, workerData } from 'node:worker_threads';
import type { FeatureReply, FeatureRequest } from './feature-pool.ts';
import { loadCliStudent } from './load-default-student.ts';
import { fileFeatures } from './score-image-files.ts';

// As in the CLI's main thread: stdout carries only the command's output (libheif logs failed decodes with
// console.log, and a thread's stdout is the process's).
console.log = console.error;

const port = parentPort!;
const reply = (msg: FeatureReply, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

try {
  const student = await loadCliStudent((workerData as { modelDir?: string }).modelDir);
  // One file at a time, in arrival order: wasm runs on this thread only.
  let queue = Promise.resolve();
  port.on('message', (req: FeatureRequest) => {
    queue = queue.then(async () => {
      const answer = await fileFeatures(student, req.file, req.mode, req.limitMs, req.bytes);
      reply({ id: req.id, answer }, answer.ok ? [answer.features.buffer as ArrayBuffer] : []);
    });
  });
  reply({ ready: true });
} catch (err) {
  reply({ failed: err instanceof Error ? err.message : String(err) });
}
