// The calibration bar above the grid: profile management, the Rate button, cross-validated quality, the
// plot and per-rater report. Heavy lifting lives in profiles.ts, rating.ts and fitting.ts.
import { useEffect, useRef, useState } from 'react';
import { RATING_RANGES } from '../../core/calibration/profile.ts';
import { useLeaf } from '../../store/store.ts';
import { createProfile, deleteProfile, exportProfile, importProfile, renameProfile, resetProfile, startCalibration, switchProfile } from './profiles.ts';
import { openRating } from './rating.ts';
import { ScatterPlot } from './scatter-plot.tsx';
import './calibration.css';

const fmt = (v: number | null, d = 3) => (v === null ? '—' : v.toFixed(d));

/** Starts calibration once the engine is ready (always mounted). */
export function CalibrationBoot() {
  const ready = useLeaf((s) => s.engine.status === 'ready');
  useEffect(() => {
    if (ready) startCalibration();
  }, [ready]);
  return null;
}

export function CalibrationPanel() {
  const c = useLeaf((s) => s.calibration);
  const [open, setOpen] = useState(true);
  const fileInput = useRef<HTMLInputElement>(null);
  const active = c.active;
  const range = RATING_RANGES[active?.ratingScale ?? c.mode];
  const calibrated = c.displayCurve !== null;
  return (
    <section className="calibration-panel" data-testid="calibration-panel" data-status={c.status}>
      <div className="cal-row">
        <strong>Calibration</strong>
        <select
          data-testid="profile-select"
          value={active?.id ?? ''}
          onChange={(e) => void switchProfile(e.target.value || null)}
          aria-label="Calibration profile"
        >
          <option value="">Model scale (no profile)</option>
          {c.profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.ratings})
            </option>
          ))}
        </select>
        <button onClick={() => void createProfile(prompt('Name of the new profile', 'My scale') ?? '')} data-testid="profile-new">
          New
        </button>
        <button disabled={!active} onClick={() => void renameProfile(prompt('New name', active?.name) ?? '')} data-testid="profile-rename">
          Rename
        </button>
        <button disabled={!active} onClick={() => confirm('Forget every rating of this profile?') && void resetProfile()} data-testid="profile-reset">
          Reset
        </button>
        <button disabled={!active} onClick={() => confirm('Delete this profile?') && void deleteProfile()} data-testid="profile-delete">
          Delete
        </button>
        <button disabled={!active} onClick={() => void exportProfile()} data-testid="profile-export">
          Export profile
        </button>
        <button onClick={() => fileInput.current?.click()} data-testid="profile-import">
          Import…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="profile-import-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importProfile(f);
          }}
        />
        <span className="spacer" />
        <button className="primary" onClick={() => openRating()} data-testid="rate-open">
          Rate images
        </button>
      </div>
      {c.notice && (
        <p className={`cal-notice ${c.notice.kind}`} data-testid="profile-notice" role={c.notice.kind === 'error' ? 'alert' : 'status'}>
          {c.notice.text}
        </p>
      )}
      {c.error && <p className="cal-notice error">{c.error}</p>}
      {active && (
        <div className="cal-row cal-metrics" data-testid="calibration-metrics">
          <span>
            {active.ratings.length} rating{active.ratings.length === 1 ? '' : 's'} · scale {range.min}–{range.max}
            {calibrated ? ' · scores shown on your scale' : ''}
            {c.status === 'fitting' ? ' · fitting…' : ''}
          </span>
          {c.fit && (
            <>
              <span title={c.fit.cv.method === 'loo' ? 'leave-one-out over your ratings' : '10-fold over your ratings'}>
                CV SRCC <b data-testid="cv-srcc">{fmt(c.fit.cv.srcc)}</b> · PLCC <b data-testid="cv-plcc">{fmt(c.fit.cv.plcc)}</b> · RMSE{' '}
                <b data-testid="cv-rmse">{fmt(c.fit.cv.rmse, range.max > 10 ? 1 : 2)}</b>
              </span>
              <span className="muted">refit {c.fit.ms.toFixed(0)} ms{c.fit.fromStoredHead ? ' · imported head' : ''}</span>
            </>
          )}
          <button className="link" onClick={() => setOpen(!open)}>
            {open ? 'Hide plot' : 'Show plot'}
          </button>
        </div>
      )}
      {active && open && c.fit && c.fit.curve.length > 0 && (
        <div className="cal-detail">
          <ScatterPlot fit={c.fit} range={range} />
          <div className="cal-legend">
            <p>
              <span className="dot rating" /> your rating (bias-corrected) · <span className="dot pred" /> calibrated prediction · line: fitted curve
            </p>
            {c.fit.raters.length > 1 && (
              <table className="raters" data-testid="raters">
                <thead>
                  <tr>
                    <th>Rater</th>
                    <th>n</th>
                    <th>offset</th>
                    <th>scale</th>
                    <th>SRCC vs others</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {c.fit.raters.map((r) => (
                    <tr key={r.rater} className={r.flagged ? 'flagged' : ''} data-testid="rater-row" data-flagged={r.flagged}>
                      <td>{r.rater}</td>
                      <td>{r.n}</td>
                      <td>{r.offset.toFixed(2)}</td>
                      <td>{r.scale.toFixed(2)}</td>
                      <td>{fmt(r.srcc, 2)}</td>
                      <td>{r.flagged ? `⚠ ${r.reason}` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
