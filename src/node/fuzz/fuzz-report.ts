// Judges what the app or the CLI made of each corpus file, and counts outcomes by category. Pure.
import type { ImageErrorCode } from '../../core/image/image-error.ts';
import { type CorpusEntry, expectedOutcome, FUZZ_CATEGORIES, type FuzzCategory } from './corpus.ts';

export interface FuzzResult {
  readonly name: string;
  readonly score?: number;
  readonly code?: string;
  readonly message?: string;
}

/** Error codes that say what is wrong with the file. `inference-failed` on a decoded image is a bug, not a reason. */
export const SPECIFIC_CODES: ReadonlySet<ImageErrorCode> = new Set(['empty', 'not-image', 'unsupported', 'decode-failed', 'too-large', 'timeout']);

export function judge(entries: readonly CorpusEntry[], results: readonly FuzzResult[], runner: 'app' | 'cli'): string[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  const problems: string[] = [];
  for (const e of entries) {
    const r = byName.get(e.name);
    const want = expectedOutcome(e, runner);
    if (!r) {
      problems.push(`${e.name}: no result`);
      continue;
    }
    if (r.score !== undefined) {
      if (!Number.isFinite(r.score)) problems.push(`${e.name}: score ${r.score} is not a number`);
      if (want === 'error') problems.push(`${e.name}: scored ${r.score.toFixed(3)}, expected an error (${e.note})`);
      continue;
    }
    if (!r.code || !SPECIFIC_CODES.has(r.code as ImageErrorCode)) problems.push(`${e.name}: error code ${r.code ?? 'none'} is not specific (${r.message ?? ''})`);
    if (!r.message || r.message.length < 20) problems.push(`${e.name}: error message "${r.message ?? ''}" says too little`);
    if (want === 'score') problems.push(`${e.name}: failed (${r.code}: ${r.message}), expected a score (${e.note})`);
    else {
      const code = (runner === 'cli' ? e.cliCode : undefined) ?? e.code;
      if (code && r.code !== code) problems.push(`${e.name}: error code ${r.code}, expected ${code} (${r.message})`);
    }
  }
  return problems;
}

export interface CategoryCount {
  files: number;
  scored: number;
  errors: Record<string, number>;
}

export function tally(entries: readonly CorpusEntry[], results: readonly FuzzResult[]): Record<FuzzCategory, CategoryCount> {
  const out = Object.fromEntries(FUZZ_CATEGORIES.map((c) => [c, { files: 0, scored: 0, errors: {} }])) as Record<FuzzCategory, CategoryCount>;
  const byName = new Map(results.map((r) => [r.name, r]));
  for (const e of entries) {
    const c = out[e.category];
    c.files++;
    const r = byName.get(e.name);
    if (r?.score !== undefined) c.scored++;
    else {
      const code = r?.code ?? 'no result';
      c.errors[code] = (c.errors[code] ?? 0) + 1;
    }
  }
  return out;
}

/** A plain-text table: one row per category and a total. */
export function formatTally(title: string, counts: Record<FuzzCategory, CategoryCount>): string {
  const rows = Object.entries(counts) as [FuzzCategory, CategoryCount][];
  const total = { files: 0, scored: 0, errors: {} as Record<string, number> };
  for (const [, c] of rows) {
    total.files += c.files;
    total.scored += c.scored;
    for (const [k, n] of Object.entries(c.errors)) total.errors[k] = (total.errors[k] ?? 0) + n;
  }
  const fmt = (errors: Record<string, number>) =>
    Object.entries(errors)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '-';
  const errCount = (e: Record<string, number>) => Object.values(e).reduce((a, b) => a + b, 0);
  const lines = [title, `${'category'.padEnd(16)}${'files'.padStart(6)}${'scored'.padStart(8)}${'errors'.padStart(8)}  specific errors by code`];
  for (const [name, c] of [...rows, ['total', total] as const]) {
    lines.push(`${name.padEnd(16)}${String(c.files).padStart(6)}${String(c.scored).padStart(8)}${String(errCount(c.errors)).padStart(8)}  ${fmt(c.errors)}`);
  }
  return lines.join('\n');
}
