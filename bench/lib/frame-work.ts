// Main-thread work per frame from a Chrome trace ('devtools.timeline' + 'toplevel' categories). The frame
// interval a page sees with requestAnimationFrame is locked to the display (16.7 ms at 60 Hz) however little
// work a frame takes; the work itself is what says whether a frame fits its budget. Chrome marks each frame
// the renderer's main thread produces with an 'AnimationFrame' span (what Long Animation Frames are built on:
// from the first task that led to it until its rendering ended); the work of a frame is the time the main
// thread spent in tasks inside that span. Idle gaps inside the span (waiting for the next vsync) do not count.
import type { CDPSession } from '@playwright/test';

export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly id?: number | string;
  readonly id2?: { readonly local?: string };
  readonly args?: { readonly name?: string };
}

const TASK = 'ThreadControllerImpl::RunTask';

/** Milliseconds of main-thread task time inside each animation frame, in frame order. */
export function workPerFrame(events: readonly TraceEvent[]): number[] {
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = (e: TraceEvent) => mainThreads.has(`${e.pid}:${e.tid}`);
  const tasks = events.filter((e) => e.name === TASK && e.ph === 'X' && onMain(e)).map((e) => ({ start: e.ts, end: e.ts + (e.dur ?? 0) }));
  const open = new Map<string, number>();
  const frames: { start: number; end: number }[] = [];
  for (const e of [...events].filter((x) => x.name === 'AnimationFrame' && (x.ph === 'b' || x.ph === 'e')).sort((a, b) => a.ts - b.ts)) {
    const key = `${e.pid}:${e.id2?.local ?? e.id}`;
    if (e.ph === 'b') open.set(key, e.ts);
    else if (open.has(key)) {
      frames.push({ start: open.get(key)!, end: e.ts });
      open.delete(key);
    }
  }
  return frames.map((f) => tasks.reduce((sum, t) => sum + Math.max(0, Math.min(t.end, f.end) - Math.max(t.start, f.start)), 0) / 1000);
}

const FRAME_TRACE_CATEGORIES = ['devtools.timeline', 'toplevel'];

/** Runs `during` with a trace recorded; returns the trace's events. */
export async function traced(cdp: CDPSession, during: () => Promise<void>): Promise<TraceEvent[]> {
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: FRAME_TRACE_CATEGORIES } });
  await during();
  const complete = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream!)));
  await cdp.send('Tracing.end');
  const stream = await complete;
  const parts: string[] = [];
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
    parts.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data);
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(parts.join('')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}
