// Says plainly when ratings cannot be saved in this browser (storage full or blocked), that they are kept in
// this tab, and offers the two ways out: retry once there is room, or export the profile to a file.
import { useLeaf } from '../../store/store.ts';
import { exportProfile, retrySaving } from './profiles.ts';

export function StorageNotice() {
  const { problem, unsaved } = useLeaf((s) => s.calibration.storage);
  const hasActive = useLeaf((s) => s.calibration.active !== null);
  if (!problem) return null;
  const kept =
    unsaved > 0
      ? `${unsaved} unsaved change${unsaved === 1 ? '' : 's'} to your ratings ${unsaved === 1 ? 'is' : 'are'} kept in this tab only: keep it open.`
      : 'Ratings you give now are kept in this tab only.';
  return (
    <div className="cal-notice error storage-notice" role="alert" data-testid="storage-notice">
      <span>
        {problem}. {kept} Retry once there is room, or export the profile to keep them in a file.
      </span>
      <button className="button small primary" onClick={() => void retrySaving()} data-testid="storage-retry">
        Retry saving
      </button>
      <button className="button small" disabled={!hasActive} onClick={() => void exportProfile()} data-testid="storage-export">
        Export profile
      </button>
    </div>
  );
}
