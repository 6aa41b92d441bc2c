// Which overlays are open: the large view of one image, the side-by-side compare, and the (at most two)
// images ticked for comparison.
import type { SliceCreator } from './store.ts';

export interface ViewState {
  readonly largeId: string | null;
  readonly selected: readonly string[];
  readonly compare: readonly [string, string] | null;
}

export interface ViewSlice {
  readonly view: ViewState;
  openLarge(id: string): void;
  closeLarge(): void;
  /** Ticks or unticks an image for comparison; a third tick drops the oldest. */
  toggleSelected(id: string): void;
  openCompare(a: string, b: string): void;
  closeCompare(): void;
  clearView(): void;
}

export const closedView: ViewState = { largeId: null, selected: [], compare: null };

export const createViewSlice: SliceCreator<ViewSlice> = (set) => ({
  view: closedView,
  openLarge: (id) => set((s) => ({ view: { ...s.view, largeId: id } })),
  closeLarge: () => set((s) => ({ view: { ...s.view, largeId: null } })),
  toggleSelected: (id) =>
    set((s) => {
      const sel = s.view.selected;
      const next = sel.includes(id) ? sel.filter((x) => x !== id) : [...sel, id].slice(-2);
      return { view: { ...s.view, selected: next } };
    }),
  openCompare: (a, b) => set((s) => ({ view: { ...s.view, compare: [a, b], largeId: null } })),
  closeCompare: () => set((s) => ({ view: { ...s.view, compare: null } })),
  clearView: () => set({ view: closedView }),
});
