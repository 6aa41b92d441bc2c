// Combines several teachers' point-wise judgments of the same images without any MOS:
// each teacher's scores are standardised (teachers use the level scale differently), teachers are
// weighted by how well they agree with the consensus of the others (a label-free proxy for accuracy),
// and each image's reliability is its teachers' confidence times their agreement on that image.
import type { LevelProbs, PointJudgment } from './types.ts';
import { pearson } from '../metrics/rank.ts';

export interface EnsembleOptions {
  /** 'snr' (default): one-factor model weights r/(1-r^2); 'equal': plain average. */
  readonly weighting?: 'snr' | 'equal';
}

export interface EnsembleResult {
  readonly judgments: PointJudgment[];
  /** Weight of each teacher (sums to 1) and its correlation with the others' consensus. */
  readonly teachers: { id: string; weight: number; agreement: number; images: number }[];
}

function standardised(values: number[]): number[] {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const s = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length) || 1;
  return values.map((v) => (v - m) / s);
}

export function ensembleTeachers(perTeacher: ReadonlyMap<string, readonly PointJudgment[]>, opts: EnsembleOptions = {}): EnsembleResult {
  const weighting = opts.weighting ?? 'snr';
  const ids = [...perTeacher.keys()];
  if (ids.length === 0) throw new Error('no teacher judgments to combine');
  const byTeacher = ids.map((id) => new Map(perTeacher.get(id)!.map((j) => [j.image, j])));
  // Only images every teacher judged are combined; the rest keep what their teachers said.
  const images = [...byTeacher[0]!.keys()].filter((img) => byTeacher.every((m) => m.has(img)));
  const z = byTeacher.map((m) => standardised(images.map((img) => m.get(img)!.score)));

  const agreement = ids.map((_, t) => {
    if (ids.length === 1) return 1;
    const others = images.map((_, i) => z.reduce((s, zt, u) => (u === t ? s : s + zt[i]!), 0) / (ids.length - 1));
    return pearson(z[t]!, others);
  });
  // Under a one-factor model (every teacher = shared quality signal + own noise), a teacher's loading is
  // about its correlation r with the others' consensus, and the best linear weight is r / (1 - r^2).
  const raw = agreement.map((r) => (weighting === 'equal' ? 1 : Math.max(0, r) / Math.max(1e-3, 1 - Math.min(r, 0.999) ** 2)));
  const total = raw.reduce((a, b) => a + b, 0) || 1;
  const weights = raw.map((w) => w / total);

  // Map the consensus z back onto the level scale of the weighted mean teacher, so scores stay in 1..5.
  const meanScore = images.map((img) => byTeacher.reduce((s, m, t) => s + weights[t]! * m.get(img)!.score, 0));
  const ms = meanScore.reduce((a, b) => a + b, 0) / images.length;
  const sd = Math.sqrt(meanScore.reduce((a, b) => a + (b - ms) ** 2, 0) / images.length) || 1;

  const judgments = images.map((img, i) => {
    const zc = z.reduce((s, zt, t) => s + weights[t]! * zt[i]!, 0);
    const spread = Math.sqrt(z.reduce((s, zt, t) => s + weights[t]! * (zt[i]! - zc) ** 2, 0));
    const probs = [0, 0, 0, 0, 0] as number[];
    let confidence = 0;
    byTeacher.forEach((m, t) => {
      const j = m.get(img)!;
      j.probs.forEach((p, k) => (probs[k]! += weights[t]! * p));
      confidence += weights[t]! * j.reliability;
    });
    const agreementHere = Math.exp(-spread); // 1 when all teachers agree, ~0.37 at one sd of disagreement
    return {
      image: img,
      probs: probs as unknown as LevelProbs,
      score: Math.min(5, Math.max(1, ms + zc * sd)),
      reliability: confidence * agreementHere,
      teacher: `ensemble(${ids.join(',')})`,
    } satisfies PointJudgment;
  });
  return {
    judgments,
    teachers: ids.map((id, t) => ({ id, weight: weights[t]!, agreement: agreement[t]!, images: byTeacher[t]!.size })),
  };
}
