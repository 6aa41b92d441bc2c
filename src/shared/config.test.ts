import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('defaults to automatic backend and the bundled model on the same origin', () => {
    const c = parseConfig('http://127.0.0.1:4173/');
    expect(c).toEqual({ backend: null, modelName: DEFAULT_MODEL, modelUrl: `http://127.0.0.1:4173/models/${DEFAULT_MODEL}/`, warnings: [] });
  });

  it('reads ?backend= and ?model=, and respects the base path', () => {
    const c = parseConfig('http://localhost/app/?backend=webgl&model=other-1', '/app/');
    expect(c.backend).toBe('webgl');
    expect(c.modelUrl).toBe('http://localhost/app/models/other-1/');
  });

  it('turns bad parameters into warnings and keeps the defaults', () => {
    const c = parseConfig('http://x/?backend=tpu&model=../../etc');
    expect(c.backend).toBeNull();
    expect(c.modelName).toBe(DEFAULT_MODEL);
    expect(c.warnings).toHaveLength(2);
  });

  it('never points the model at another origin', () => {
    expect(new URL(parseConfig('http://a.test/?model=//evil.test/x').modelUrl).origin).toBe('http://a.test');
  });
});
