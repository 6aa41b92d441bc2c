import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('defaults to automatic backend and the bundled model on the same origin', () => {
    const c = parseConfig('http://127.0.0.1:4173/');
    expect(c).toEqual({ backend: null, modelName: DEFAULT_MODEL, modelUrl: `http://127.0.0.1:4173/models/${DEFAULT_MODEL}/`, workers: null, warnings: [] });
  });

  it('reads ?backend= and ?model=, and respects the base path', () => {
    const c = parseConfig('http://localhost/app/?backend=webgl&model=other-1', '/app/');
    expect(c.backend).toBe('webgl');
    expect(c.modelUrl).toBe('http://localhost/app/models/other-1/');
  });

  it('turns bad parameters into warnings and keeps the defaults', () => {
    const c = parseConfig('http://x/?backend=tpu&model=../../etc&workers=9');
    expect(c.backend).toBeNull();
    expect(c.modelName).toBe(DEFAULT_MODEL);
    expect(c.workers).toBeNull();
    expect(c.warnings).toHaveLength(3);
    expect(c.warnings[2]).toBe('workers "9" is not a number from 1 to 4: choosing by the number of cores');
  });

  it('reads ?workers=', () => {
    expect(parseConfig('http://x/?workers=1').workers).toBe(1);
    expect(parseConfig('http://x/?workers=3').workers).toBe(3);
  });

  it('never points the model at another origin', () => {
    expect(new URL(parseConfig('http://a.test/?model=//evil.test/x').modelUrl).origin).toBe('http://a.test');
  });
});
