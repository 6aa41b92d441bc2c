// The calibration bar above the grid: profile management, the Rate button, cross-validated quality, the
// plot and per-rater report. Heavy lifting lives in profiles.ts, rating.ts and fitting.ts.
import { useEffect, useRef, useState } from 'react';
import { RATING_RANGES } from '../../core/calibration/profile.ts';
import { useLeaf } from '../../store/store.ts';
import { createProfile, deleteProfile, exportProfile, importProfile, renameProfile, resetProfile, startCalibration, switchProfile } from './profiles.ts';
import { ProfileNameForm } from './profile-name-form.tsx';
import { openRating } from './rating.ts';
import { ScatterPlot } from './scatter-plot.tsx';
import { StorageNotice } from './storage-notice.tsx';
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
  const [naming, setNaming] = useState<'new' | 'rename' | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  // Back to the button that opened the form, so keyboard users keep their place.
  const closeNaming = (was: 'new' | 'rename') => {
    setNaming(null);
    requestAnimationFrame(() => (was === 'new' ? newButton : renameButton).current?.focus());
  };
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
        <button className="button small" ref={newButton} aria-expanded={naming === 'new'} onClick={() => setNaming(naming === 'new' ? null : 'new')} data-testid="profile-new">
          New
        </button>
        <button
          className="button small"
          ref={renameButton}
          disabled={!active}
          aria-expanded={naming === 'rename'}
          onClick={() => setNaming(naming === 'rename' ? null : 'rename')}
          data-testid="profile-rename"
        >
          Rename
        </button>
        <button className="button small" disabled={!active} onClick={() => confirm('Forget every rating of this profile?') && void resetProfile()} data-testid="profile-reset">
          Reset
        </button>
        <button className="button small danger" disabled={!active} onClick={() => confirm('Delete this profile?') && void deleteProfile()} data-testid="profile-delete">
          Delete
        </button>
        <button className="button small" disabled={!active} onClick={() => void exportProfile()} data-testid="profile-export">
          Export profile
        </button>
        <button className="button small" onClick={() => fileInput.current?.click()} data-testid="profile-import">
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
        <button className="button primary" onClick={() => openRating()} data-testid="rate-open">
          Rate images
        </button>
      </div>
      {naming && (
        <ProfileNameForm
          key={naming}
          label={naming === 'new' ? 'Name of the new profile' : 'New name'}
          initial={naming === 'new' ? 'My scale' : (active?.name ?? '')}
          submitText={naming === 'new' ? 'Create' : 'Rename'}
          onSubmit={(name) => {
            void (naming === 'new' ? createProfile(name) : renameProfile(name));
            closeNaming(naming);
          }}
          onCancel={() => closeNaming(naming)}
        />
      )}
      {c.notice && (
        <p className={`cal-notice ${c.notice.kind}`} data-testid="profile-notice" role={c.notice.kind === 'error' ? 'alert' : 'status'}>
          {c.notice.text}
        </p>
      )}
      {c.error && <p className="cal-notice error">{c.error}</p>}
      <StorageNotice />
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
          <button className="button small ghost" onClick={() => setOpen(!open)}>
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
