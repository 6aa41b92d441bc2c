// Keeps IndexedDB in step with the store: reads saved decisions once at start, then writes each change
// (only the records that changed, compared by reference: the store replaces a record when it changes).
import type { Decisions } from '../../core/culling/decisions.ts';
import { useLeaf } from '../../store/store.ts';
import { loadCulling, saveCullSettings, saveDecisions } from './decisions-db.ts';

function diff(prev: Decisions, next: Decisions) {
  const put = Object.entries(next).filter(([k, d]) => prev[k] !== d);
  const remove = Object.keys(prev).filter((k) => !(k in next));
  return { put, remove };
}

const report = (err: unknown) =>
  useLeaf.getState().setCullNotice({ kind: 'error', text: `Decisions could not be saved in this browser: ${err instanceof Error ? err.message : String(err)}` });

/** Starts the sync; returns a function that stops it. */
export function startDecisionSync(): () => void {
  let stopped = false;
  let unsubscribe = () => {};
  const before = useLeaf.getState().culling.decisions;
  loadCulling()
    .then(({ decisions, settings }) => {
      if (stopped) return;
      useLeaf.getState().restoreDecisions(decisions, settings);
      // Edits made while loading are in the store but not on disk yet.
      void saveDecisions(Object.entries(before), []).catch(report);
      let last = useLeaf.getState().culling;
      unsubscribe = useLeaf.subscribe((s) => {
        const c = s.culling;
        if (c.decisions !== last.decisions) {
          const { put, remove } = diff(last.decisions, c.decisions);
          void saveDecisions(put, remove).catch(report);
        }
        if (c.settings !== last.settings) void saveCullSettings(c.settings).catch(report);
        last = c;
      });
    })
    .catch((err: unknown) => {
      useLeaf.getState().restoreDecisions({}, undefined);
      report(err);
    });
  return () => {
    stopped = true;
    unsubscribe();
  };
}
