// The v1 student (shipped as 255cb394 before Student v2) as a real model folder, for benches that report it
// as a baseline in the same run: its manifest and heads are kept in bench/baselines/v1, the backbone is
// the shipped one (unchanged since v1; the manifest's sha256 checks that on load).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MODEL_DIR, REPO_ROOT } from '../model-dir.ts';

export const V1_BASELINE_DIR = path.join(REPO_ROOT, 'bench', 'baselines', 'v1');

export function v1ModelDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaf-v1-'));
  for (const f of fs.readdirSync(V1_BASELINE_DIR)) fs.copyFileSync(path.join(V1_BASELINE_DIR, f), path.join(dir, f));
  for (const f of ['backbone.json', 'backbone.bin']) fs.copyFileSync(path.join(DEFAULT_MODEL_DIR, f), path.join(dir, f));
  return dir;
}
