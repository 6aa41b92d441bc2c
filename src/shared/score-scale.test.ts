import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../worker/protocol.ts';
import { activeScale, applyDisplayCurve, type DisplayCurve, formatScore, toDisplay } from './score-scale.ts';

const model: ModelInfo = {
  name: 'leaf-mnv2-140',
  version: 'v1',
  output: { name: 'student quality', min: 1, max: 5, description: '' },
  defaultMode: 'fast',
  bytes: 1,
};
const profile: DisplayCurve = {
  id: 'lab-mos',
  name: 'Lab MOS',
  modelName: 'leaf-mnv2-140',
  modelVersion: 'v1',
  scale: { name: 'MOS', min: 0, max: 100 },
  knots: [
    { raw: 2, mapped: 10 },
    { raw: 3, mapped: 50 },
    { raw: 4, mapped: 90 },
  ],
};

describe('score scale', () => {
  it("shows the model's own scale without a profile", () => {
    expect(activeScale(model, null)).toEqual({ name: 'student quality', min: 1, max: 5, profileId: null });
    expect(toDisplay(3.3, model, null)).toBe(3.3);
  });

  it('maps through the profile knots, extends the end segments, and clamps to the scale', () => {
    expect(activeScale(model, profile)).toEqual({ name: 'MOS', min: 0, max: 100, profileId: 'lab-mos' });
    expect(applyDisplayCurve(profile, 2.5)).toBeCloseTo(30);
    expect(applyDisplayCurve(profile, 3)).toBeCloseTo(50);
    expect(applyDisplayCurve(profile, 4.25)).toBeCloseTo(100);
    expect(applyDisplayCurve(profile, 1.9)).toBeCloseTo(6);
    expect(applyDisplayCurve(profile, 1)).toBe(0);
  });

  it('ignores a profile fitted on another model version', () => {
    const other = { ...model, version: 'v2' };
    expect(activeScale(other, profile)!.profileId).toBeNull();
    expect(toDisplay(3, other, profile)).toBe(3);
  });

  it('formats with precision suited to the scale span', () => {
    expect(formatScore(3.14159, { min: 1, max: 5 })).toBe('3.14');
    expect(formatScore(73.25, { min: 0, max: 100 })).toBe('73.3');
  });
});
