// What the user chose: scoring mode, sort order and filters. Filter bounds are on the displayed scale.
import type { ScoreMode } from '../core/model/score-mode.ts';
import type { SliceCreator } from './store.ts';

export type SortKey = 'added' | 'score' | 'name';
export type StatusFilter = 'all' | 'scored' | 'failed';

export interface Settings {
  readonly mode: ScoreMode;
  readonly sort: { readonly key: SortKey; readonly dir: 'asc' | 'desc' };
  readonly filter: { readonly min: number | null; readonly max: number | null; readonly status: StatusFilter };
}

export interface SettingsSlice {
  readonly settings: Settings;
  setMode(mode: ScoreMode): void;
  setSort(key: SortKey, dir: 'asc' | 'desc'): void;
  setFilter(filter: Partial<Settings['filter']>): void;
  resetFilter(): void;
}

export const defaultSettings: Settings = {
  mode: 'fast',
  sort: { key: 'added', dir: 'asc' },
  filter: { min: null, max: null, status: 'all' },
};

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set) => ({
  settings: defaultSettings,
  setMode: (mode) => set((s) => ({ settings: { ...s.settings, mode } })),
  setSort: (key, dir) => set((s) => ({ settings: { ...s.settings, sort: { key, dir } } })),
  setFilter: (filter) => set((s) => ({ settings: { ...s.settings, filter: { ...s.settings.filter, ...filter } } })),
  resetFilter: () => set((s) => ({ settings: { ...s.settings, filter: defaultSettings.filter } })),
});
