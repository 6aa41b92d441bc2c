// The development datasets in ../shared/data, with a validation split carved by content hash so that
// byte-identical duplicates (AGIQA-3K has a few) always land on the same side.
import fs from 'node:fs';
import path from 'node:path';
import { parseLabels } from '../core/data/csv.ts';
import { REPO_ROOT } from './model-dir.ts';
import { sha256HexSync } from './sha256.ts';

export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');

export type DatasetId = 'agiqa3k' | 'biq2021';

export interface DatasetImage {
  readonly name: string;
  readonly path: string;
  readonly mos: number;
  readonly sha256: string;
  readonly split: 'train' | 'val';
}

const MOS_COLUMN: Record<DatasetId, string> = { agiqa3k: 'mos_quality', biq2021: 'mos' };

/** One image in five goes to validation, decided by its content hash (stable across machines). */
export function splitOf(sha256: string): 'train' | 'val' {
  return parseInt(sha256.slice(0, 8), 16) % 5 === 0 ? 'val' : 'train';
}

export function loadDataset(id: DatasetId, root = SHARED_DATA): DatasetImage[] {
  const dir = path.join(root, id);
  if (!fs.existsSync(dir)) throw new Error(`dataset folder ${dir} not found (expected ../shared/data next to the repo)`);
  const { labels } = parseLabels(fs.readFileSync(path.join(dir, 'labels.csv'), 'utf8'), MOS_COLUMN[id]);
  return labels
    .map((l) => {
      const file = path.join(dir, 'images', l.name);
      if (!fs.existsSync(file)) return null;
      const sha256 = sha256HexSync(fs.readFileSync(file));
      return { name: l.name, path: file, mos: l.mos, sha256, split: splitOf(sha256) };
    })
    .filter((x): x is DatasetImage => x !== null);
}

export function hasSharedData(root = SHARED_DATA): boolean {
  return fs.existsSync(path.join(root, 'agiqa3k', 'labels.csv')) && fs.existsSync(path.join(root, 'biq2021', 'labels.csv'));
}
