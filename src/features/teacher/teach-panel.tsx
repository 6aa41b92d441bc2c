// "Teach on my photos": an optional panel (closed and inert by default) where the user loads a local model
// folder from disk, lets it judge the images they are scoring, and lets calibration use its judgments
// beside their own ratings. Nothing is uploaded or downloaded: the folder's files are read in this tab.
import { useEffect, useRef } from 'react';
import { judgeWithTeacher, loadTeacherFolder, stopTeacher, unjudgedImages } from '../../engine-client/teacher-client.ts';
import { useLeaf } from '../../store/store.ts';
import './teacher.css';

function onFolderPicked(list: FileList | null): void {
  const files = [...(list ?? [])];
  if (files.length === 0) return;
  // webkitRelativePath is "<picked folder>/<path inside it>"; the folder's name is Transformers.js's model id.
  const folder = files[0]!.webkitRelativePath.split('/')[0] || 'model';
  loadTeacherFolder(
    folder,
    files.map((file) => ({ path: file.webkitRelativePath || file.name, file })),
  );
}

function TeacherUseLine() {
  const use = useLeaf((s) => s.calibration.fit?.teacher ?? null);
  const active = useLeaf((s) => s.calibration.active !== null);
  if (!active) return <span className="muted">Rate a few images in a calibration profile first: the teacher's scale is matched to your ratings.</span>;
  if (!use) return null;
  return use.reason === null ? (
    <span data-testid="teacher-use-status" data-used={use.used}>
      Calibration uses {use.used} of the teacher's judgments (each counts {use.scale} × its reliability of one of your ratings).
    </span>
  ) : (
    <span data-testid="teacher-use-status" data-used={0}>
      Not used: {use.reason}.
    </span>
  );
}

export function TeachPanel() {
  const t = useLeaf((s) => s.teacher);
  const scored = useLeaf((s) => s.run.scored);
  const setUse = (v: boolean) => useLeaf.getState().patchTeacher({ useInCalibration: v });
  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Not in React's typings; the attribute makes the picker choose a directory.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);
  // Recounted when scoring progresses or a run ends.
  const waiting = t.status === 'ready' ? unjudgedImages().length : 0;
  const judged = Object.keys(t.judgments).length;
  return (
    <details className="teach-panel" data-testid="teach-panel" data-status={t.status}>
      <summary>Teach on my photos (a local model)</summary>
      <p className="muted">
        Pick a Transformers.js model folder on this computer (a CLIP-style model such as CLIP or SigLIP, or a vision-language model exported with
        its vision_encoder, embed_tokens and decoder graphs). It judges your images here, in this tab; nothing is uploaded or downloaded.
        {scored === 0 ? ' Score some images first.' : ''}
      </p>
      <div className="teach-row">
        <label className={t.status === 'loading' || t.status === 'judging' ? 'button disabled' : 'button'}>
          {t.info ? 'Load another model folder…' : 'Load model folder…'}
          <input ref={folderInput} type="file" hidden data-testid="teacher-folder-input" disabled={t.status === 'loading' || t.status === 'judging'} onChange={(e) => (onFolderPicked(e.target.files), (e.target.value = ''))} />
        </label>
        {t.status === 'loading' && <span role="status">Loading the model…</span>}
        {t.info && t.status !== 'loading' && (
          <span data-testid="teacher-info">
            {t.info.folder}: {t.info.kind === 'clip' ? 'CLIP-style' : 'vision-language'} model, {t.info.dtype}, on {t.info.device === 'webgpu' ? 'WebGPU' : 'WebAssembly'} (loaded in {(t.info.loadMs / 1000).toFixed(1)} s)
          </span>
        )}
      </div>
      {t.error && (
        <p className="teach-error" role="alert" data-testid="teacher-error">
          {t.error}
        </p>
      )}
      {t.info && (
        <div className="teach-row">
          {t.status === 'judging' ? (
            <button className="button" onClick={stopTeacher} data-testid="teacher-stop">
              Stop
            </button>
          ) : (
            <button className="button primary" disabled={t.status !== 'ready' || waiting === 0} onClick={judgeWithTeacher} data-testid="teacher-judge">
              {waiting === 0 ? 'Every scored image is judged' : `Judge ${waiting} image${waiting === 1 ? '' : 's'}`}
            </button>
          )}
          {t.run && (
            <span data-testid="teacher-progress" data-done={t.run.done} data-total={t.run.total}>
              <progress max={t.run.total} value={t.run.done} /> {t.run.done} of {t.run.total}
              {t.run.cached ? ` (${t.run.cached} from earlier runs)` : ''}
              {t.failed.length ? `, ${t.failed.length} failed` : ''}
            </span>
          )}
          <span className="muted" data-testid="teacher-judged" data-count={judged}>
            {judged} judged
          </span>
        </div>
      )}
      {t.failed.length > 0 && (
        <ul className="teach-failed" data-testid="teacher-failed">
          {t.failed.slice(0, 20).map((f) => (
            <li key={f.key}>
              {f.name}: {f.message}
            </li>
          ))}
          {t.failed.length > 20 && <li>… and {t.failed.length - 20} more</li>}
        </ul>
      )}
      {judged > 0 && (
        <div className="teach-row">
          <label>
            <input type="checkbox" checked={t.useInCalibration} onChange={(e) => setUse(e.target.checked)} data-testid="teacher-use" /> Use the teacher's judgments in calibration
          </label>
          {t.useInCalibration && <TeacherUseLine />}
        </div>
      )}
    </details>
  );
}

/** The local teacher's judgment of one image, for the large view (nothing until the teacher has judged it). */
export function TeacherFacts({ id }: { id: string }) {
  const judgment = useLeaf((s) => {
    const key = s.images.byId[id]?.contentKey;
    return key ? s.teacher.judgments[key] : undefined;
  });
  const folder = useLeaf((s) => s.teacher.info?.folder);
  if (!judgment) return null;
  return (
    <p className="teach-facts" data-testid="teacher-facts">
      Local teacher{folder ? ` (${folder})` : ''}: {judgment.score.toFixed(2)} of 1–5, reliability {judgment.reliability.toFixed(2)}
    </p>
  );
}
