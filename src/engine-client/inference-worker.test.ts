import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

class FakeWorker {
  static made: FakeWorker[] = [];
  readonly posted: unknown[] = [];
  terminated = false;
  constructor(readonly url: URL | string) {
    FakeWorker.made.push(this);
  }
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  addEventListener() {}
  terminate() {
    this.terminated = true;
  }
}

describe('the primary worker spawned early', () => {
  beforeEach(() => {
    FakeWorker.made = [];
    vi.stubGlobal('Worker', FakeWorker);
    vi.resetModules();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('is asked to load the model at once, under an id no client uses, and is the one lane 0 adopts', async () => {
    const { spawnPrimaryEarly, spawnInferenceWorker } = await import('./inference-worker.ts');
    spawnPrimaryEarly({ modelUrl: 'http://localhost/models/leaf-mnv2-140/', backend: null });
    expect(FakeWorker.made).toHaveLength(1);
    expect(FakeWorker.made[0]!.posted).toEqual([{ type: 'init', id: 0, modelUrl: 'http://localhost/models/leaf-mnv2-140/', backend: null }]);
    expect(spawnInferenceWorker(0)).toBe(FakeWorker.made[0]);
    // Only once: a replacement primary is a fresh worker, loaded by its client's own init.
    expect(spawnInferenceWorker(0)).not.toBe(FakeWorker.made[0]);
    expect(FakeWorker.made[1]!.posted).toEqual([]);
  });
});
