import { SHORTCUTS } from './use-cull-keys.ts';

/** Always-visible keyboard reference, so the shortcuts are discoverable without a manual. */
export function ShortcutsHelp() {
  return (
    <section className="shortcuts" aria-label="Keyboard shortcuts">
      <h3>Keys</h3>
      <dl>
        {SHORTCUTS.map(([k, what]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
