// A photographer's decision on one image (stars and pick/reject), keyed by the file's content so it
// survives reloads and renames. Each field remembers who set it: a rule may replace what a rule set, never
// what the user set by hand. Changes are recorded as before/after pairs so they can be undone as one step.
import type { Flag } from '../xmp/leaf-sidecar.ts';

export type Source = 'hand' | 'rule';

export interface Decision {
  readonly stars: number | null;
  readonly starsBy: Source | null;
  readonly flag: Flag | null;
  readonly flagBy: Source | null;
}

export type Decisions = Readonly<Record<string, Decision>>;

export const NO_DECISION: Decision = { stars: null, starsBy: null, flag: null, flagBy: null };

/** One key's change; `undefined` means no record. */
export interface Change {
  readonly key: string;
  readonly before: Decision | undefined;
  readonly after: Decision | undefined;
}

export type Edit = { readonly stars: number | null } | { readonly flag: Flag | null };

export function isEmpty(d: Decision): boolean {
  return d.stars === null && d.flag === null;
}

/** The decision after an edit by `by`; null when a rule may not touch it (the user set that field by hand). */
export function edited(d: Decision, edit: Edit, by: Source): Decision | null {
  if ('stars' in edit) {
    if (edit.stars !== null && (!Number.isInteger(edit.stars) || edit.stars < 0 || edit.stars > 5)) throw new RangeError(`stars must be an integer 0-5, got ${edit.stars}`);
    if (by === 'rule' && d.starsBy === 'hand') return null;
    return { ...d, stars: edit.stars, starsBy: edit.stars === null ? null : by };
  }
  if (by === 'rule' && d.flagBy === 'hand') return null;
  return { ...d, flag: edit.flag, flagBy: edit.flag === null ? null : by };
}

/** Changes that apply `edit` to each key; keys a rule may not touch, or that would not change, are left out. */
export function planEdit(decisions: Decisions, keys: readonly string[], edit: Edit, by: Source): Change[] {
  const out: Change[] = [];
  for (const key of new Set(keys)) {
    const before = decisions[key];
    const next = edited(before ?? NO_DECISION, edit, by);
    if (!next) continue;
    const after = isEmpty(next) ? undefined : next;
    if (same(before, after)) continue;
    out.push({ key, before, after });
  }
  return out;
}

function same(a: Decision | undefined, b: Decision | undefined): boolean {
  if (!a || !b) return a === b;
  return a.stars === b.stars && a.starsBy === b.starsBy && a.flag === b.flag && a.flagBy === b.flagBy;
}

export function applyChanges(decisions: Decisions, changes: readonly Change[], direction: 'forward' | 'back'): Decisions {
  if (changes.length === 0) return decisions;
  const next: Record<string, Decision> = { ...decisions };
  // Backwards in reverse: a step may change one key twice (a rule setting flags, then stars).
  const ordered = direction === 'forward' ? changes : [...changes].reverse();
  for (const c of ordered) {
    const v = direction === 'forward' ? c.after : c.before;
    if (v) next[c.key] = v;
    else delete next[c.key];
  }
  return next;
}
