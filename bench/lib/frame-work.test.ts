import { describe, expect, it } from 'vitest';
import { type TraceEvent, workPerFrame } from './frame-work.ts';

const main = { pid: 1, tid: 7 };
const meta: TraceEvent[] = [
  { name: 'thread_name', ph: 'M', ts: 0, ...main, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: 8, args: { name: 'Compositor' } },
];
const task = (ts: number, dur: number, tid = main.tid): TraceEvent => ({ name: 'ThreadControllerImpl::RunTask', ph: 'X', ts, dur, pid: 1, tid });
const frame = (id: number, start: number, end: number): TraceEvent[] => [
  { name: 'AnimationFrame', ph: 'b', ts: start, ...main, id2: { local: `0x${id}` } },
  { name: 'AnimationFrame', ph: 'e', ts: end, ...main, id2: { local: `0x${id}` } },
];

describe('main-thread work per frame', () => {
  it('sums the main thread tasks inside each frame, not its idle gaps or other threads', () => {
    const events = [
      ...meta,
      // Frame 1 (0-16 ms): a 3 ms key handler, idle, 4 ms of rendering; a compositor task does not count.
      ...frame(1, 0, 16_000),
      task(0, 3_000),
      task(12_000, 4_000),
      task(5_000, 9_000, 8),
      // Frame 2 (20-40 ms): a 25 ms task that began before it counts only inside it.
      ...frame(2, 20_000, 40_000),
      task(17_000, 25_000),
    ];
    expect(workPerFrame(events)).toEqual([7, 20]);
  });

  it('pairs frames by id, in time order, and drops an unfinished one', () => {
    const events = [...meta, ...frame(2, 50_000, 60_000), ...frame(1, 0, 10_000), { name: 'AnimationFrame', ph: 'b', ts: 70_000, ...main, id2: { local: '0x3' } }, task(1_000, 2_000), task(55_000, 1_000)];
    expect(workPerFrame(events)).toEqual([2, 1]);
  });
});
