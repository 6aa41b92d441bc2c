// The page's entry. It starts the scoring engine first (boot-engine.ts spawns the worker), then loads the
// app: the entry chunk stays a few kilobytes, so the worker is spawned as soon as it arrives instead of
// after the whole app's bundle was fetched and evaluated.
import './boot-engine.ts';

void import('./render-app.tsx');
