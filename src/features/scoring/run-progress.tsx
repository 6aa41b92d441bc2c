import { cancel, rescore } from '../../engine-client/scoring-service.ts';
import { WORKER_STAGES } from '../../worker/protocol.ts';
import { imagesPerSecond } from '../../store/run-slice.ts';
import { selectCounts } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';

/** Progress bar, images/s and Cancel while scoring; a one-line summary afterwards. */
export function RunProgress() {
  const run = useLeaf((s) => s.run);
  const engineReady = useLeaf((s) => s.engine.status === 'ready');
  const unread = useLeaf((s) => s.filesUnread);
  // Memoized on the images: every store update (each culling key) runs this selector.
  const cancelledIds = useLeaf((s) => selectCounts(s).cancelled);
  if (run.total === 0) return null;
  const done = run.scored + run.failed;
  const rate = imagesPerSecond(run);
  const pct = Math.round((100 * done) / run.total);
  const retryCancelled = () => {
    const s = useLeaf.getState();
    rescore(s.images.order.filter((id) => s.images.byId[id]!.status === 'cancelled'));
  };
  return (
    <section className="run-progress" data-testid="run-progress" data-active={run.active}>
      <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={run.total} aria-valuenow={done}>
        <div className="progress-fill" style={{ transform: `scaleX(${pct / 100})` }} />
      </div>
      <div className="progress-line">
        <span data-testid="progress-count">
          {done} / {run.total} {run.active ? (engineReady ? 'scored' : 'waiting for the model') : run.cancelled ? 'done, then cancelled' : 'done'}
        </span>
        {run.failed > 0 && <span className="muted">{run.failed} could not be read</span>}
        {unread > 0 && (
          <span className="muted" data-testid="files-unread" title="Kept scores show at once; each file's size and date are checked against them, and a changed file is scored again">
            checking {unread.toLocaleString()} files against the folder
          </span>
        )}
        <span
          className="muted"
          data-testid="images-per-second"
          title={run.modelScored > 0 ? `Per image in a worker: ${WORKER_STAGES.map((k) => `${k} ${(run.stageMs[k] / run.modelScored).toFixed(0)} ms`).join(', ')}` : undefined}
        >
          {rate !== null ? `${rate.toFixed(1)} images/s` : ''}
        </span>
        <span className="spacer" />
        {run.active ? (
          <button className="button small danger" onClick={cancel} data-testid="cancel">
            Cancel
          </button>
        ) : (
          cancelledIds > 0 && (
            <button className="button small" onClick={retryCancelled}>
              Score {cancelledIds} cancelled
            </button>
          )
        )}
      </div>
    </section>
  );
}
