import { beforeEach, describe, expect, it } from 'vitest';
import type { LevelProbs } from '../core/teacher/types.ts';
import type { ModelInfo } from '../worker/protocol.ts';
import type { ImageScore, ImageUpdate } from './images-slice.ts';
import { imagesPerSecond } from './run-slice.ts';
import { packEmbedding } from '../core/culling/bursts.ts';
import { burstOf, computeVisibleIds, histogram, selectAllScores, selectCounts, selectScale, selectShownIds, selectVisibleIds } from './selectors.ts';
import { resetStore, useLeaf } from './store.ts';

const model: ModelInfo = { name: 'm', version: 'v1', output: { name: 'q', min: 1, max: 5, description: '' }, defaultMode: 'fast', bytes: 1 };
const probs: LevelProbs = [0.2, 0.2, 0.2, 0.2, 0.2];
const score = (raw: number): ImageScore => ({ raw, probs, mode: 'fast', backend: 'wasm', modelVersion: 'v1' });
const scored = (id: string, raw: number): ImageUpdate => ({ id, kind: 'scored', score: score(raw), width: 10, height: 10, downscaledFrom: null, format: 'jpeg', hasThumb: false, contentKey: `key-${id}`, capturedAt: null, embedding: 'abcd' });
const s = () => useLeaf.getState();

function seed() {
  s().engineReady({ backend: { backend: 'wasm', forced: false, reason: '', skipped: [], detail: '' }, model, timings: { backendMs: 1, loadMs: 1, warmUpMs: 1, readyAtMs: 0 } });
  s().addImages([
    { id: 'a', name: 'b10.jpg', path: 'b10.jpg' },
    { id: 'b', name: 'b2.jpg', path: 'b2.jpg' },
    { id: 'c', name: 'a.jpg', path: 'a.jpg' },
    { id: 'd', name: 'broken.jpg', path: 'broken.jpg' },
  ]);
  s().applyUpdates([scored('a', 4.5), scored('b', 2), scored('c', 3), { id: 'd', kind: 'failed', error: { code: 'empty', message: 'Empty file (0 bytes)' } }]);
}

beforeEach(() => resetStore());

describe('images slice', () => {
  it('adds images once, in order, queued', () => {
    s().addImages([{ id: 'x', name: 'x.jpg', path: 'x.jpg' }]);
    s().addImages([{ id: 'x', name: 'x.jpg', path: 'x.jpg' }]);
    expect(s().images.order).toEqual(['x']);
    expect(s().images.byId.x).toMatchObject({ status: 'queued', score: null, seq: 0 });
  });

  it('applies a batch of results in one update and ignores unknown ids', () => {
    seed();
    s().applyUpdates([scored('zzz', 1)]);
    expect(selectCounts(s())).toEqual({ total: 4, scored: 3, failed: 1, queued: 0, cancelled: 0 });
    expect(s().images.byId.d!.error!.code).toBe('empty');
  });

  it('cancels only what is still queued', () => {
    seed();
    s().addImages([{ id: 'q', name: 'q.jpg', path: 'q.jpg' }]);
    s().setStatus(['a', 'q'], 'cancelled');
    expect(s().images.byId.a!.status).toBe('scored');
    expect(s().images.byId.q!.status).toBe('cancelled');
  });

  it('counts stored thumbnails arriving apart from the images: nothing derived over all images changes', () => {
    seed();
    const images = s().images;
    const bursts = selectShownIds(s());
    s().thumbsArrived(['a', 'a', 'zzz']);
    expect(s().images).toBe(images);
    expect(selectShownIds(s())).toBe(bursts);
    expect(s().thumbsLoaded).toEqual({ a: 2 });
    s().clearImages();
    expect(s().thumbsLoaded).toEqual({});
  });

  it('holds only plain data (serialisable)', () => {
    seed();
    const { images, run, settings, view, calibration, engine } = s();
    expect(JSON.parse(JSON.stringify({ images, run, settings, view, calibration, engine }))).toEqual({ images, run, settings, view, calibration, engine });
  });
});

describe('selectors', () => {
  it('sorts by score with unscored last, by name naturally, and by arrival', () => {
    seed();
    s().setSort('score', 'desc');
    expect(computeVisibleIds(s())).toEqual(['a', 'c', 'b', 'd']);
    s().setSort('score', 'asc');
    expect(computeVisibleIds(s())).toEqual(['b', 'c', 'a', 'd']);
    s().setSort('name', 'asc');
    expect(computeVisibleIds(s())).toEqual(['c', 'b', 'a', 'd']);
    s().setSort('added', 'desc');
    expect(computeVisibleIds(s())).toEqual(['d', 'c', 'b', 'a']);
  });

  it('filters by status and by score range on the displayed scale', () => {
    seed();
    s().setFilter({ status: 'failed' });
    expect(computeVisibleIds(s())).toEqual(['d']);
    s().setFilter({ status: 'all', min: 2.5, max: 4 });
    expect(computeVisibleIds(s())).toEqual(['c']);
    s().setDisplayCurve({
      id: 'p',
      name: 'p',
      modelName: 'm',
      modelVersion: 'v1',
      scale: { name: 'MOS', min: 0, max: 100 },
      knots: [
        { raw: 1, mapped: 0 },
        { raw: 5, mapped: 100 },
      ],
    });
    s().setFilter({ min: 45, max: null }); // a: 4.5 -> 87.5, c: 3 -> 50, b: 2 -> 25
    expect(computeVisibleIds(s())).toEqual(['a', 'c']);
    expect(selectScale(s())!.profileId).toBe('p');
  });

  it('returns the same array while nothing it depends on changes', () => {
    seed();
    const first = selectVisibleIds(s());
    s().openLarge('a');
    expect(selectVisibleIds(s())).toBe(first);
    expect(selectScale(s())).toBe(selectScale(s()));
    expect(selectAllScores(s())).toEqual([4.5, 2, 3]);
  });

  it('bins a histogram over the scale, the maximum in the last bin', () => {
    expect(histogram([1, 1.1, 2.9, 5], 1, 5, 4)).toEqual([2, 1, 0, 1]);
  });
});

describe('run slice', () => {
  it('measures images/s from the run start to the latest result, across added batches', () => {
    s().startRun(10, 1000);
    s().startRun(5, 1500);
    expect(s().run.total).toBe(15);
    const stages = { 'read+hash': 10, decode: 80, pixels: 8, thumbnail: 16, resize: 40, backbone: 400, head: 4 };
    s().recordResults(8, 2, 3000, { stages, modelScored: 6, applyMs: 3 });
    s().recordResults(1, 0, 3000, { stages, modelScored: 1, applyMs: 2 });
    expect(imagesPerSecond(s().run)).toBeCloseTo(5.5);
    expect(s().run).toMatchObject({ stageMs: { decode: 160, backbone: 800, 'read+hash': 20 }, modelScored: 7, applyMs: 5 });
    s().finishRun(false, 3100);
    expect(s().run).toMatchObject({ active: false, scored: 9, failed: 2, lastAt: 3000 });
    s().startRun(1, 5000);
    expect(s().run).toMatchObject({ active: true, total: 1, scored: 0, startedAt: 5000, modelScored: 0, stageMs: { backbone: 0 } });
  });
});

describe('view slice', () => {
  it('keeps at most four images ticked for comparison, and compares two to four', () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) s().toggleSelected(id);
    expect(s().view.selected).toEqual(['b', 'c', 'd', 'e']);
    s().toggleSelected('b');
    expect(s().view.selected).toEqual(['c', 'd', 'e']);
    s().openLarge('c');
    s().openCompare(['c']);
    expect(s().view).toMatchObject({ largeId: 'c', compare: null });
    s().openCompare(['a', 'c', 'd']);
    expect(s().view).toMatchObject({ largeId: null, compare: ['a', 'c', 'd'] });
  });
});

describe('culling slice', () => {
  it('records hand decisions by content key, undoes and redoes them, and rules never override them', () => {
    seed();
    s().decide([{ keys: ['key-a'], edit: { stars: 5 } }], 'hand');
    s().decide([{ keys: ['key-a'], edit: { flag: 'pick' } }], 'hand');
    const changed = s().decide(
      [
        { keys: ['key-a', 'key-b'], edit: { flag: 'reject' } },
        { keys: ['key-a', 'key-b', 'key-c'], edit: { stars: 1 } },
      ],
      'rule',
    );
    expect(changed).toBe(3); // b's flag, b's and c's stars (b twice: two records)
    expect(s().culling.decisions['key-a']).toMatchObject({ stars: 5, flag: 'pick' });
    expect(s().culling.decisions['key-b']).toMatchObject({ stars: 1, flag: 'reject', flagBy: 'rule' });
    s().undoDecision(); // the whole rule in one step
    expect(Object.keys(s().culling.decisions)).toEqual(['key-a']);
    s().redoDecision();
    expect(s().culling.decisions['key-c']!.stars).toBe(1);
  });

  it('restores stored decisions without losing edits made while loading', () => {
    s().decide([{ keys: ['k1'], edit: { stars: 2 } }], 'hand');
    s().restoreDecisions({ k1: { stars: 4, starsBy: 'hand', flag: null, flagBy: null }, k2: { stars: null, starsBy: null, flag: 'pick', flagBy: 'hand' } }, { naming: 'stem' });
    expect(s().culling.decisions.k1!.stars).toBe(2);
    expect(s().culling.decisions.k2!.flag).toBe('pick');
    expect(s().culling).toMatchObject({ restored: true, settings: { naming: 'stem', pickLabel: 'Green' } });
  });
});

describe('burst stacks', () => {
  // Two scenes: a burst of three frames (same look, 0.3 s apart) and a lone photo in between by name.
  const look = (k: number) => packEmbedding(Float32Array.from({ length: 16 }, (_, i) => (i === k ? 1 : i === k + 1 ? 0.5 : 0)));
  function seedBurst() {
    s().engineReady({ backend: { backend: 'wasm', forced: false, reason: '', skipped: [], detail: '' }, model, timings: { backendMs: 1, loadMs: 1, warmUpMs: 1, readyAtMs: 0 } });
    s().addImages(['f1', 'f2', 'lone', 'f3'].map((id) => ({ id, name: `${id}.jpg`, path: `${id}.jpg` })));
    const frame = (id: string, raw: number, at: number, k: number): ImageUpdate => ({ ...(scored(id, raw) as Extract<ImageUpdate, { kind: 'scored' }>), capturedAt: at, embedding: look(k) });
    s().applyUpdates([frame('f1', 3, 1000, 0), frame('f2', 4, 1300, 0), frame('lone', 2, 60_000, 8), frame('f3', 3.5, 1600, 0)]);
  }

  it('a closed stack shows its best frame only, opens and closes by its first frame, and counts keep every image', () => {
    seedBurst();
    expect(burstOf(s(), 'f2')).toMatchObject({ size: 3, best: true, stack: 'f1', closed: false });
    expect(selectShownIds(s())).toEqual(['f1', 'f2', 'lone', 'f3']);
    s().setCullSettings({ stackBursts: true });
    expect(selectShownIds(s())).toEqual(['f2', 'lone']);
    expect(burstOf(s(), 'f3')!.closed).toBe(true);
    expect(computeVisibleIds(s())).toHaveLength(4);
    s().toggleStack('f1');
    expect(selectShownIds(s())).toEqual(['f1', 'f2', 'lone', 'f3']);
    expect(burstOf(s(), 'f3')!.closed).toBe(false);
    s().toggleStack('f1');
    expect(selectShownIds(s())).toEqual(['f2', 'lone']);
  });

  it('when the filter hides the best frame, the first frame it lets through stands for the stack', () => {
    seedBurst();
    s().setCullSettings({ stackBursts: true });
    s().setFilter({ max: 3.7 });
    expect(selectShownIds(s())).toEqual(['f1', 'lone']);
  });
});
