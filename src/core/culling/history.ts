// Undo/redo over decision changes: each step is the list of changes one action made (a key press, or a
// rule over hundreds of images), so one Ctrl+Z takes back one action. Plain data, bounded.
import { applyChanges, type Change, type Decisions } from './decisions.ts';

export interface History {
  readonly past: readonly (readonly Change[])[];
  readonly future: readonly (readonly Change[])[];
}

export const EMPTY_HISTORY: History = { past: [], future: [] };
export const HISTORY_LIMIT = 200;

export function record(h: History, step: readonly Change[]): History {
  if (step.length === 0) return h;
  return { past: [...h.past, step].slice(-HISTORY_LIMIT), future: [] };
}

/** The decisions and history after undo ('back') or redo ('forward'); unchanged when there is nothing to do. */
export function travel(decisions: Decisions, h: History, direction: 'back' | 'forward'): { decisions: Decisions; history: History; step: readonly Change[] | null } {
  const from = direction === 'back' ? h.past : h.future;
  const step = from[from.length - 1];
  if (!step) return { decisions, history: h, step: null };
  const rest = from.slice(0, -1);
  const history = direction === 'back' ? { past: rest, future: [...h.future, step] } : { past: [...h.past, step], future: rest };
  return { decisions: applyChanges(decisions, step, direction), history, step };
}
