// Where the last fuzz runs keep their per-file results (app: the e2e test; CLI: `npm run fuzz` and its test),
// outside the corpus folder so a rebuilt corpus does not wipe them.
import path from 'node:path';
import { REPO_ROOT } from '../model-dir.ts';

export const FUZZ_RESULTS_DIR = path.join(REPO_ROOT, '.cache', 'fuzz-results');
