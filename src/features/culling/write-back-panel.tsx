import { useState } from 'react';
import type { SidecarNaming } from '../../core/xmp/sidecar-name.ts';
import { useLeaf } from '../../store/store.ts';
import { reportText, writeSidecars } from './write-back.ts';

/** Write XMP sidecars: naming convention, the label written on picks, and the action with its report. */
export function WriteBackPanel() {
  const settings = useLeaf((s) => s.culling.settings);
  const { setCullSettings, setCullNotice } = useLeaf.getState();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const r = await writeSidecars();
      setCullNotice({ kind: r.problems.length ? 'error' : 'ok', text: reportText(r) });
    } catch (err) {
      setCullNotice({ kind: 'error', text: `Sidecars not written: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="rule-panel" data-testid="write-back">
      <label>
        Sidecar names
        <select value={settings.naming} onChange={(e) => setCullSettings({ naming: e.target.value as SidecarNaming })} data-testid="sidecar-naming">
          <option value="full">IMG_0001.CR3.xmp (darktable, digiKam)</option>
          <option value="stem">IMG_0001.xmp (Lightroom, Capture One)</option>
        </select>
      </label>
      <label>
        Label on picks
        <input type="text" value={settings.pickLabel} onChange={(e) => setCullSettings({ pickLabel: e.target.value })} placeholder="none" data-testid="pick-label" />
      </label>
      <button className="button small primary" onClick={() => void run()} disabled={busy} data-testid="write-sidecars">
        {busy ? 'Writing…' : 'Write XMP sidecars'}
      </button>
      <p className="muted small">Existing sidecars are merged, not replaced; originals are never changed. Folders opened with “Open folder…” get the files directly, others as a zip.</p>
    </div>
  );
}
