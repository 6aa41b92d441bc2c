// Which overlays are open: the large view of one image, the side-by-side compare, the (at most four)
// images ticked for comparison, and which burst stacks are opened out.
import type { SliceCreator } from './store.ts';

export interface ViewState {
  readonly largeId: string | null;
  readonly selected: readonly string[];
  /** 2-4 images side by side. */
  readonly compare: readonly string[] | null;
  /** Stacks opened to show every frame, by their burst's first frame. */
  readonly openStacks: readonly string[];
}

export const MAX_COMPARE = 4;

export interface ViewSlice {
  readonly view: ViewState;
  openLarge(id: string): void;
  closeLarge(): void;
  /** Ticks or unticks an image for comparison; a fifth tick drops the oldest. */
  toggleSelected(id: string): void;
  /** Opens 2-4 images side by side (others are ignored). */
  openCompare(ids: readonly string[]): void;
  closeCompare(): void;
  /** Opens or closes the stack whose burst starts with this frame. */
  toggleStack(firstId: string): void;
  clearView(): void;
}

export const closedView: ViewState = { largeId: null, selected: [], compare: null, openStacks: [] };

export const createViewSlice: SliceCreator<ViewSlice> = (set) => ({
  view: closedView,
  openLarge: (id) => set((s) => ({ view: { ...s.view, largeId: id } })),
  closeLarge: () => set((s) => ({ view: { ...s.view, largeId: null } })),
  toggleSelected: (id) =>
    set((s) => {
      const sel = s.view.selected;
      const next = sel.includes(id) ? sel.filter((x) => x !== id) : [...sel, id].slice(-MAX_COMPARE);
      return { view: { ...s.view, selected: next } };
    }),
  openCompare: (ids) => set((s) => (ids.length >= 2 ? { view: { ...s.view, compare: ids.slice(0, MAX_COMPARE), largeId: null } } : s)),
  closeCompare: () => set((s) => ({ view: { ...s.view, compare: null } })),
  toggleStack: (firstId) =>
    set((s) => {
      const open = s.view.openStacks;
      return { view: { ...s.view, openStacks: open.includes(firstId) ? open.filter((x) => x !== firstId) : [...open, firstId] } };
    }),
  clearView: () => set({ view: closedView }),
});
