// Other tabs of this origin hear about every profile this tab changed on disk (BroadcastChannel), so they
// reload it from IndexedDB instead of working on, and later writing back, a stale copy.
const CHANNEL = 'leaf-calibration-profiles';

interface ProfilesChanged {
  readonly type: 'profiles-changed';
  readonly ids: readonly string[];
}

const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);

function isProfilesChanged(data: unknown): data is ProfilesChanged {
  const d = data as Partial<ProfilesChanged> | null;
  return d?.type === 'profiles-changed' && Array.isArray(d.ids) && d.ids.every((id) => typeof id === 'string');
}

/** Tells the other tabs which profiles changed on disk. */
export function announceChanged(ids: readonly string[]): void {
  if (ids.length > 0) channel?.postMessage({ type: 'profiles-changed', ids } satisfies ProfilesChanged);
}

/** Calls `fn` whenever another tab changed profiles on disk. */
export function onChangedElsewhere(fn: (ids: readonly string[]) => void): void {
  channel?.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (isProfilesChanged(e.data)) fn(e.data.ids);
  });
}
