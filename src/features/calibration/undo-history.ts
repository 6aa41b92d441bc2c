// The Rate panel's undo history: each rating this tab gave and the one it replaced. An undo removes just that
// rating, so ratings given meanwhile in another tab stay. Cleared whenever the active profile is replaced
// (switch, reset, import), so an undo never touches another profile.
import type { ProfileRating } from '../../core/calibration/profile.ts';

export interface UndoEntry {
  readonly profileId: string;
  readonly added: ProfileRating;
  /** This rater's earlier rating of the same image, which `added` replaced. */
  readonly replaced: ProfileRating | null;
}

const entries: UndoEntry[] = [];

export const undoHistory = {
  push: (entry: UndoEntry): void => void entries.push(entry),
  pop: (): UndoEntry | undefined => entries.pop(),
  clear: (): void => void (entries.length = 0),
};
