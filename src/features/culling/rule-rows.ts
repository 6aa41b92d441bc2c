// The scored images rules work on: content key, displayed score and current decision (memoised on what it
// reads, so panels can subscribe to it).
import type { Decision } from '../../core/culling/decisions.ts';
import { NO_DECISION } from '../../core/culling/decisions.ts';
import { displayScore } from '../../store/selectors.ts';
import type { LeafState } from '../../store/store.ts';

export interface RuleRow {
  readonly key: string;
  readonly value: number;
  readonly decision: Decision;
}

let deps: readonly unknown[] = [];
let rows: RuleRow[] = [];

export function selectRuleRows(s: LeafState): readonly RuleRow[] {
  const next = [s.images.order, s.images.byId, s.engine.model, s.calibration.displayCurve, s.calibration.values, s.culling.decisions];
  if (next.some((d, i) => d !== deps[i])) {
    const seen = new Set<string>();
    rows = [];
    for (const id of s.images.order) {
      const it = s.images.byId[id]!;
      const value = displayScore(s, it);
      // The same photo added twice is one decision.
      if (!it.contentKey || value === null || seen.has(it.contentKey)) continue;
      seen.add(it.contentKey);
      rows.push({ key: it.contentKey, value, decision: s.culling.decisions[it.contentKey] ?? NO_DECISION });
    }
    deps = next;
  }
  return rows;
}
