// Culling (issue #9): the photographer's decisions (stars, pick/reject) keyed by each file's content key,
// their undo history, the culling view's position and zoom, and the rule and write-back settings. Plain
// data; features/culling persists decisions and settings to IndexedDB and restores them on load.
import { applyChanges, type Change, type Decisions, type Edit, planEdit, type Source } from '../core/culling/decisions.ts';
import { EMPTY_HISTORY, type History, record, travel } from '../core/culling/history.ts';
import type { StarThresholds } from '../core/culling/star-rules.ts';
import type { SidecarNaming } from '../core/xmp/sidecar-name.ts';
import type { SliceCreator } from './store.ts';

export interface EditGroup {
  readonly keys: readonly string[];
  readonly edit: Edit;
}

export interface CullSettings {
  /** null: evenly spaced over the active scale until the user sets them. */
  readonly thresholds: StarThresholds | null;
  readonly naming: SidecarNaming;
  readonly pickLabel: string;
  /** Bursts shown as stacks: only each burst's best frame in the grid and the culling view, until opened. */
  readonly stackBursts: boolean;
}

export interface CullingState {
  /** The image shown in the culling view, or null when it is closed. */
  readonly currentId: string | null;
  readonly zoom: boolean;
  readonly decisions: Decisions;
  readonly history: History;
  /** True once decisions saved earlier were read back (before that, edits would race the load). */
  readonly restored: boolean;
  readonly settings: CullSettings;
  readonly notice: { readonly kind: 'ok' | 'error'; readonly text: string } | null;
}

export interface CullingSlice {
  readonly culling: CullingState;
  openCulling(id: string): void;
  closeCulling(): void;
  toggleZoom(): void;
  /** Applies edits (each to its content keys) as one undoable step; returns how many records changed. */
  decide(groups: readonly EditGroup[], by: Source): number;
  undoDecision(): void;
  redoDecision(): void;
  /** Decisions read back from storage; edits made meanwhile win over stored ones. */
  restoreDecisions(stored: Decisions, settings: Partial<CullSettings> | undefined): void;
  setCullSettings(patch: Partial<CullSettings>): void;
  setCullNotice(notice: CullingState['notice']): void;
}

export const defaultCullSettings: CullSettings = { thresholds: null, naming: 'full', pickLabel: 'Green', stackBursts: false };

export const initialCulling: CullingState = {
  currentId: null,
  zoom: false,
  decisions: {},
  history: EMPTY_HISTORY,
  restored: false,
  settings: defaultCullSettings,
  notice: null,
};

export const createCullingSlice: SliceCreator<CullingSlice> = (set, get) => ({
  culling: initialCulling,
  openCulling: (id) => set((s) => ({ culling: { ...s.culling, currentId: id } })),
  closeCulling: () => set((s) => ({ culling: { ...s.culling, currentId: null, zoom: false } })),
  toggleZoom: () => set((s) => ({ culling: { ...s.culling, zoom: !s.culling.zoom } })),
  decide: (groups, by) => {
    const c = get().culling;
    let decisions = c.decisions;
    const step: Change[] = [];
    for (const g of groups) {
      const changes = planEdit(decisions, g.keys, g.edit, by);
      decisions = applyChanges(decisions, changes, 'forward');
      step.push(...changes);
    }
    if (step.length > 0) set({ culling: { ...c, decisions, history: record(c.history, step) } });
    return step.length;
  },
  undoDecision: () =>
    set((s) => {
      const r = travel(s.culling.decisions, s.culling.history, 'back');
      return r.step ? { culling: { ...s.culling, decisions: r.decisions, history: r.history } } : s;
    }),
  redoDecision: () =>
    set((s) => {
      const r = travel(s.culling.decisions, s.culling.history, 'forward');
      return r.step ? { culling: { ...s.culling, decisions: r.decisions, history: r.history } } : s;
    }),
  restoreDecisions: (stored, settings) =>
    set((s) => ({
      culling: { ...s.culling, decisions: { ...stored, ...s.culling.decisions }, settings: { ...s.culling.settings, ...settings }, restored: true },
    })),
  setCullSettings: (patch) => set((s) => ({ culling: { ...s.culling, settings: { ...s.culling.settings, ...patch } } })),
  setCullNotice: (notice) => set((s) => ({ culling: { ...s.culling, notice } })),
});
