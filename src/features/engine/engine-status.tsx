import { useLeaf } from '../../store/store.ts';
import type { InitStage } from '../../worker/protocol.ts';

const STAGE_LABEL: Record<InitStage, string> = {
  backend: 'Choosing a backend…',
  model: 'Loading the model…',
  'warm-up': 'Warming up…',
};

/** Which backend runs and why, and the model in use. */
export function EngineStatus() {
  const engine = useLeaf((s) => s.engine);
  if (engine.status === 'starting') {
    return (
      <div className="engine-status" data-testid="engine-status" data-status="starting">
        <span className="spinner" aria-hidden />
        <span>{engine.restarts > 0 && !engine.stage ? 'Restarting the scoring worker…' : engine.stage ? STAGE_LABEL[engine.stage] : 'Starting…'}</span>
      </div>
    );
  }
  if (engine.status === 'failed') {
    return (
      <div className="engine-status failed" data-testid="engine-status" data-status="failed" role="alert">
        Scoring engine failed: {engine.error}
      </div>
    );
  }
  const { backend, model, timings } = engine;
  return (
    <div className="engine-status" data-testid="engine-status" data-status="ready">
      <div className="engine-line">
        <span className={`backend-pill backend-${backend!.backend}`} data-testid="backend-name" title={backend!.detail}>
          {backend!.backend}
        </span>
        <span className="engine-detail">{backend!.detail}</span>
        {engine.workers > 1 && (
          <span className="engine-detail" data-testid="engine-workers" title="Scoring workers: one per core">
            · {engine.workers} workers
          </span>
        )}
      </div>
      <div className="engine-reason" data-testid="backend-reason">
        {backend!.reason}
      </div>
      <div className="engine-model" title={model!.output.description}>
        {model!.name} · v{model!.version.slice(0, 8)} · loaded in {((timings!.loadMs + timings!.warmUpMs) / 1000).toFixed(1)} s
      </div>
      {engine.restarts > 0 && (
        <div className="engine-restarts" data-testid="engine-restarts" role="status">
          Scoring worker restarted {engine.restarts === 1 ? 'once' : `${engine.restarts} times`}: {engine.restartReason}
        </div>
      )}
    </div>
  );
}

/** Problems with URL parameters, shown once at the top. */
export function ConfigWarnings() {
  const warnings = useLeaf((s) => s.engine.warnings);
  if (warnings.length === 0) return null;
  return (
    <div className="banner warning" role="status">
      {warnings.map((w) => (
        <div key={w}>{w}</div>
      ))}
    </div>
  );
}
