// How a language-model teacher is asked and read, whether it answers over HTTP (top log-probs) or runs
// locally (full logits): the Q-Align prompt, and the level-word reading of the next token's log-probs.
// One module so both teachers ask the same question and turn the answer into the same judgment.
import { LEVELS, type LevelProbs, confidenceOf, expectedScore, softmaxLevels } from './types.ts';

// The exact text is part of every cache key, so change it deliberately.
export const SYSTEM_PROMPT = 'You are an expert in image quality assessment.';
export const POINT_QUESTION = 'Can you rate the quality of the image in a single sentence?';
export const POINT_PREFIX = 'The quality of the image is';
// Repeating the prefix in the user text lets servers without assistant prefill still start with a level word.
export const POINT_USER_TEXT = `${POINT_QUESTION} Answer by completing "${POINT_PREFIX} ..." with one word: ${LEVELS.join(', ')}.`;

export const PAIR_QUESTION = 'Which image has better quality, the first or the second?';
export const PAIR_PREFIX = 'The image with better quality is the';
export const PAIR_USER_TEXT = `${PAIR_QUESTION} Answer by completing "${PAIR_PREFIX} ..." with one word: first or second.`;
export const PAIR_WORDS = ['first', 'second'] as const;

/** How many candidate next tokens a reading looks at (what an OpenAI-style server returns as top_logprobs). */
export const TOP_LOGPROBS = 20;
/** How far below the weakest candidate an unseen word is placed: it is rarer than all of them. */
const MISSING_LOGPROB_MARGIN = 5;

export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
}

/** "Ġgood", "▁Good", " good " -> "good". */
export function normalizeToken(token: string): string {
  return token.trim().replace(/^[Ġ▁]+/u, '').trim().toLowerCase();
}

/** Log-prob of each word (several spellings of one word pool their probability), undefined if unseen. */
export function collectWords(top: readonly TokenLogprob[], words: readonly string[]): (number | undefined)[] {
  const out: (number | undefined)[] = words.map(() => undefined);
  for (const { token, logprob } of top) {
    const i = words.indexOf(normalizeToken(token));
    if (i >= 0) out[i] = out[i] === undefined ? logprob : logAddExp(out[i]!, logprob);
  }
  return out;
}

/** Probability the model put on the words it was asked to choose among (1 = it answered only with them). */
export function massOf(logprobs: readonly (number | undefined)[]): number {
  return Math.min(1, logprobs.reduce<number>((s, v) => s + (v === undefined ? 0 : Math.exp(v)), 0));
}

export type LevelReading =
  | { readonly ok: true; readonly probs: LevelProbs; readonly mass: number }
  | { readonly ok: false; readonly present: number; readonly seen: string };

/** Level log-probs -> distribution; unseen levels sit just below the weakest candidate. Needs two levels seen. */
export function readLevelWords(top: readonly TokenLogprob[]): LevelReading {
  const found = collectWords(top, LEVELS);
  const present = found.filter((v) => v !== undefined).length;
  if (present < 2) return { ok: false, present, seen: seenTokens(top) };
  const floor = Math.min(...top.map((t) => t.logprob)) - MISSING_LOGPROB_MARGIN;
  return { ok: true, probs: softmaxLevels(found.map((v) => v ?? floor)), mass: massOf(found) };
}

/** A successful reading as a point judgment's numbers. */
export function levelJudgment(reading: { readonly probs: LevelProbs; readonly mass: number }): { probs: LevelProbs; score: number; reliability: number } {
  return {
    probs: reading.probs,
    score: expectedScore(reading.probs),
    // An entropy-confident answer counts only as much as the model actually answered with level words.
    reliability: Math.min(1, Math.max(0, confidenceOf(reading.probs) * reading.mass)),
  };
}

export type ChoiceReading =
  | { readonly ok: true; readonly pFirst: number; readonly mass: number }
  | { readonly ok: false; readonly seen: string };

/** "first" vs "second" log-probs -> P(first); needs at least one of them seen. */
export function readChoiceWords(top: readonly TokenLogprob[]): ChoiceReading {
  const found = collectWords(top, PAIR_WORDS);
  if (found[0] === undefined && found[1] === undefined) return { ok: false, seen: seenTokens(top) };
  const floor = Math.min(...top.map((t) => t.logprob)) - MISSING_LOGPROB_MARGIN;
  const [lf, ls] = [found[0] ?? floor, found[1] ?? floor];
  return { ok: true, pFirst: 1 / (1 + Math.exp(ls - lf)), mass: massOf(found) };
}

/** The first few candidates, quoted, for error messages. */
function seenTokens(top: readonly TokenLogprob[]): string {
  return top.map((t) => JSON.stringify(t.token)).slice(0, 8).join(', ');
}

/**
 * The `k` most likely tokens of a full next-token distribution, as a server would report them as
 * top_logprobs (logits -> log-softmax, top k, with their vocabulary strings), plus the ids in `include`.
 */
export function topLogprobsFromLogits(
  logits: ArrayLike<number>,
  tokenOf: (id: number) => string,
  k = TOP_LOGPROBS,
  include: readonly number[] = [],
): TokenLogprob[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  const logZ = max + Math.log(sum);
  // Partial selection: keep a small sorted list instead of sorting the whole vocabulary.
  const best: { id: number; logit: number }[] = [];
  for (let i = 0; i < logits.length; i++) {
    const logit = logits[i]!;
    if (best.length === k && logit <= best[k - 1]!.logit) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.logit < logit) at--;
    best.splice(at, 0, { id: i, logit });
    if (best.length > k) best.pop();
  }
  const ids = new Set(best.map((b) => b.id));
  const extra = include.filter((id) => !ids.has(id) && id >= 0 && id < logits.length).map((id) => ({ id, logit: logits[id]! }));
  return [...best, ...extra].map(({ id, logit }) => ({ token: tokenOf(id), logprob: logit - logZ }));
}

export function logAddExp(x: number, y: number): number {
  const m = Math.max(x, y);
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}
