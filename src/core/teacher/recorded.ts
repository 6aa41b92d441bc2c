// Parses recorded teacher outputs in the Q-Align logit format: a JSON array of
// {"filename", "logits": {" excellent": .., " good": .., ...}, "pred_mos"?}. Only the five level logits
// are used; the file must hold them all for every entry or the entry is reported, not guessed.
import { LEVELS, type PointJudgment, confidenceOf, expectedScore, softmaxLevels } from './types.ts';

export interface RecordedParse {
  readonly teacher: string;
  readonly judgments: PointJudgment[];
  /** Entries that could not be used, with the reason. */
  readonly rejected: { index: number; reason: string }[];
}

function levelLogit(logits: Record<string, unknown>, level: string): number | undefined {
  for (const key of [` ${level}`, level, level[0]!.toUpperCase() + level.slice(1), ` ${level[0]!.toUpperCase()}${level.slice(1)}`]) {
    const v = logits[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

export function parseRecordedTeacher(teacher: string, json: unknown): RecordedParse {
  if (!Array.isArray(json)) throw new Error(`${teacher}: expected a JSON array of {filename, logits}, got ${json === null ? 'null' : typeof json}`);
  const judgments: PointJudgment[] = [];
  const rejected: { index: number; reason: string }[] = [];
  json.forEach((entry: unknown, index) => {
    const e = entry as { filename?: unknown; logits?: unknown } | null;
    if (!e || typeof e.filename !== 'string' || !e.filename) return void rejected.push({ index, reason: 'no filename' });
    if (!e.logits || typeof e.logits !== 'object') return void rejected.push({ index, reason: `${e.filename}: no logits object` });
    const logits = LEVELS.map((l) => levelLogit(e.logits as Record<string, unknown>, l));
    const missing = LEVELS.filter((_, i) => logits[i] === undefined);
    if (missing.length) return void rejected.push({ index, reason: `${e.filename}: missing level logits ${missing.join(', ')}` });
    const probs = softmaxLevels(logits as number[]);
    const image = e.filename.split(/[\\/]/).pop()!;
    judgments.push({ image, probs, score: expectedScore(probs), reliability: confidenceOf(probs), teacher });
  });
  return { teacher, judgments, rejected };
}
