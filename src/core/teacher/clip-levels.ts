// Zero-shot quality from a CLIP-style image-text model, as in CLIP-IQA (Wang et al., AAAI 2023): each
// antonym prompt pair gives P(positive) = softmax over the image's similarity to the two prompts. The
// pairs are then read as independent yes/no votes on quality, so the number of "yes" votes over four
// pairs (0..4) is a distribution over the five levels (bad..excellent): a Poisson-binomial.
import { type LevelProbs, confidenceOf, expectedScore } from './types.ts';

/** [positive, negative] prompts. Their text is part of the cache key: change deliberately. */
export const CLIP_PROMPT_PAIRS: readonly (readonly [string, string])[] = [
  ['a good photo.', 'a bad photo.'],
  ['a high quality photo.', 'a low quality photo.'],
  ['a sharp photo.', 'a blurry photo.'],
  ['a clean photo.', 'a noisy photo.'],
];

export interface ClipReading {
  readonly probs: LevelProbs;
  readonly score: number;
  readonly reliability: number;
  /** P(positive) of each pair, in CLIP_PROMPT_PAIRS order. */
  readonly pairProbs: readonly number[];
}

/**
 * `logits[2i]`, `logits[2i+1]`: the image's logits for pair i's positive and negative prompt.
 * Score = 1 + 4 * mean P(positive), i.e. CLIP-IQA's score on the 1..5 level scale.
 */
export function readClipLogits(logits: readonly number[]): ClipReading {
  if (logits.length !== 2 * CLIP_PROMPT_PAIRS.length || logits.some((v) => !Number.isFinite(v))) {
    throw new Error(`expected ${2 * CLIP_PROMPT_PAIRS.length} finite prompt logits, got [${logits.join(', ')}]`);
  }
  const pairProbs = CLIP_PROMPT_PAIRS.map((_, i) => 1 / (1 + Math.exp(logits[2 * i + 1]! - logits[2 * i]!)));
  // Poisson-binomial over the yes-votes: dist[c] = P(c pairs say "positive").
  let dist = [1];
  for (const p of pairProbs) {
    const next = new Array<number>(dist.length + 1).fill(0);
    dist.forEach((q, c) => {
      next[c] += q * (1 - p);
      next[c + 1] += q * p;
    });
    dist = next;
  }
  // Count c of N votes sits at 4c/N on the 0..4 level axis (exact for N = 4); levels run excellent..bad.
  const levels = [0, 0, 0, 0, 0];
  const n = pairProbs.length;
  dist.forEach((q, c) => {
    const x = (4 * c) / n;
    const lo = Math.floor(x);
    const hi = Math.min(4, lo + 1);
    levels[4 - lo] += q * (1 - (x - lo));
    if (hi !== lo) levels[4 - hi] += q * (x - lo);
  });
  const probs = levels as unknown as LevelProbs;
  // Pairs that disagree (one says sharp, another says bad) make the judgment less trustworthy than its
  // spread alone suggests: scale confidence by their agreement (sd of values in [0, 1] is at most 0.5).
  const mean = pairProbs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(pairProbs.reduce((a, p) => a + (p - mean) ** 2, 0) / n);
  const reliability = Math.min(1, Math.max(0, confidenceOf(probs) * (1 - 2 * sd)));
  return { probs, score: expectedScore(probs), reliability, pairProbs };
}

