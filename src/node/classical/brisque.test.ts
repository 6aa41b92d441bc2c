// BRISQUE against OpenCV 4.6's QualityBRISQUE (reference values from the OpenCV code path run on the same
// decoded grey pixels with Debian's libopencv 4.6, AVX2/FMA build).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { BRISQUE_FEATURES, brisqueOfImage, loadBrisqueModel, parseRangeYaml, parseSvmYaml, type BrisqueModel } from './brisque.ts';

const SHARED_DATA = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'data');
const BIQ = path.join(SHARED_DATA, 'biq2021', 'images');

function tryLoad(): BrisqueModel | undefined {
  try {
    return loadBrisqueModel();
  } catch (err) {
    console.warn(`BRISQUE model tests skipped: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
const model = tryLoad();

describe('OpenCV YAML parsing', () => {
  it('reads an RBF EPS_SVR and a range matrix', () => {
    const svm = parseSvmYaml(`%YAML:1.0
---
opencv_ml_svm:
   format: 3
   svmType: EPS_SVR
   kernel:
      type: RBF
      gamma: 5.0000000000000003e-02
   C: 1024.
   var_count: 2
   sv_total: 2
   support_vectors:
      - [ 1., -5.0e-01 ]
      - [ 2.5e-01,
          0. ]
   decision_functions:
      -
         sv_count: 2
         rho: -1.5e+02
         alpha: [ -1024., 3.0e+02 ]
`);
    expect(svm.gamma).toBeCloseTo(0.05, 12);
    expect(svm.rho).toBe(-150);
    expect(Array.from(svm.supportVectors)).toEqual([1, -0.5, 0.25, 0]);
    expect(Array.from(svm.alpha)).toEqual([-1024, 300]);
    const range = parseRangeYaml(`range: !!opencv-matrix
   rows: 2
   cols: 2
   dt: f
   data: [ 1., 2., 3.,
       4. ]`);
    expect(Array.from(range.rangeMin)).toEqual([1, 2]);
    expect(Array.from(range.rangeMax)).toEqual([3, 4]);
  });
});

describe.skipIf(!model || !fs.existsSync(BIQ))('OpenCV LIVE model', () => {
  it('loads 774 support vectors over 36 features', () => {
    expect(model!.varCount).toBe(BRISQUE_FEATURES);
    expect(model!.alpha.length).toBe(774);
  });

  it.each([
    ['ss01 (1000).jpg', 32.1177],
    // Large flat areas: here OpenCV's float rounding decides which MSCN values vanish.
    ['ss03 (3216).jpg', 31.8296],
    ['ss03 (7442).jpg', 60.5319],
  ])('%s scores %s as OpenCV does', async (name, expected) => {
    expect(await brisqueOfImage(model!, path.join(BIQ, name))).toBeCloseTo(expected, 1);
  });
});
