// The Rate panel's undo history: the active profile's ratings before each rating. Cleared whenever the
// active profile is replaced (switch, reset, import), so an undo never writes one profile's ratings to another.
import type { ProfileRating } from '../../core/calibration/profile.ts';

export interface UndoEntry {
  readonly profileId: string;
  readonly ratings: readonly ProfileRating[];
}

const entries: UndoEntry[] = [];

export const undoHistory = {
  push: (entry: UndoEntry): void => void entries.push(entry),
  pop: (): UndoEntry | undefined => entries.pop(),
  clear: (): void => void (entries.length = 0),
};
