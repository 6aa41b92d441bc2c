import { describe, expect, it } from 'vitest';
import { fitCalibration } from './calibrate.ts';
import { canonicalJson, deserialiseHead, parseProfile, type CalibrationProfile, ProfileError, serialiseHead, toProfileFile } from './profile.ts';

const model = { name: 'leaf-mnv2-140', version: '1.0.0' };
const key = 'a'.repeat(64);
function body(): CalibrationProfile {
  const cal = fitCalibration(Array.from({ length: 12 }, (_, i) => ({ score: 1 + i / 3, z: [i % 3, (i * 7) % 5], mos: 1 + (i % 5) })));
  return {
    schema: 'leaf-calibration-profile',
    version: 1,
    id: 'p1',
    name: 'Mine',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    model,
    ratingScale: 'acr5',
    ratings: [{ imageKey: key, imageName: 'x.jpg', rater: 'ann', value: 4, at: '2025-01-01T00:00:00.000Z' }],
    head: serialiseHead(cal),
  };
}
async function refused(text: string, expected = model): Promise<ProfileError> {
  try {
    await parseProfile(text, expected);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileError);
    return e as ProfileError;
  }
  throw new Error('accepted');
}

describe('profile', () => {
  it('round-trips through JSON, head included', async () => {
    const file = await toProfileFile(body());
    const back = await parseProfile(JSON.stringify(file, null, 2), model);
    expect(back).toEqual(file);
    const head = deserialiseHead(back.head!);
    expect(head.map).toEqual(body().head!.map);
  });
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
  it('refuses non-JSON, another schema, a newer version, another model, tampering and bad values', async () => {
    const file = await toProfileFile(body());
    expect((await refused('{oops')).code).toBe('not-json');
    expect((await refused(JSON.stringify({ ...file, schema: 'x' }))).code).toBe('wrong-schema');
    expect((await refused(JSON.stringify({ ...file, version: 2 }))).message).toMatch(/newer/);
    const foreign = await refused(JSON.stringify(file), { name: 'leaf-mnv2-140', version: '2.0.0' });
    expect(foreign.code).toBe('wrong-model');
    expect(foreign.message).toContain('made for model leaf-mnv2-140 version 1.0.0; the app runs leaf-mnv2-140 version 2.0.0');
    const tampered = JSON.parse(JSON.stringify(file));
    tampered.ratings[0].value = 5;
    expect((await refused(JSON.stringify(tampered))).code).toBe('tampered');
    // Bad values with a re-computed checksum are still refused.
    const badValue = await toProfileFile({ ...body(), ratings: [{ ...body().ratings[0]!, value: 9 }] });
    expect((await refused(JSON.stringify(badValue))).message).toMatch(/outside the 1–5 scale/);
    const pixels = await toProfileFile({ ...body(), ratings: [{ ...body().ratings[0]!, thumb: 'data:image/png' } as never] });
    expect((await refused(JSON.stringify(pixels))).message).toMatch(/unexpected data/);
  });
});
