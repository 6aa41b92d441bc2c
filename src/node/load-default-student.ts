// Loads a student for the CLI: the given model folder or the shipped default, on the wasm backend.
import { loadStudent, type Student } from '../core/model/student.ts';
import { DEFAULT_MODEL_DIR, modelDirReader } from './model-dir.ts';
import { initTf } from './tf-runtime.ts';

export async function loadCliStudent(modelDir?: string): Promise<Student> {
  await initTf();
  const student = await loadStudent(modelDirReader(modelDir ?? DEFAULT_MODEL_DIR));
  await student.warmUp();
  return student;
}
