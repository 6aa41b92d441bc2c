// Photo degradations that people penalise, as seeded recipes: optics (defocus, motion and gaussian blur),
// sensor noise that grows in the shadows, lossy codecs, exposure, contrast and colour casts, alone or
// mixed. Each photo gets a mild and a strong copy of the *same* kinds, so training can learn both
// "a photo beats its degraded copy" and "a little damage beats more of the same damage".
import { mulberry32 } from '../distill/random.ts';

export type Degradation =
  | { readonly kind: 'gaussian-blur'; readonly sigma: number }
  | { readonly kind: 'defocus'; readonly radius: number }
  | { readonly kind: 'motion'; readonly length: number; readonly angle: number }
  | { readonly kind: 'noise'; readonly gain: number; readonly read: number }
  | { readonly kind: 'jpeg'; readonly quality: number }
  | { readonly kind: 'webp'; readonly quality: number }
  | { readonly kind: 'exposure'; readonly ev: number }
  | { readonly kind: 'contrast'; readonly factor: number }
  | { readonly kind: 'colour-cast'; readonly gains: readonly [number, number, number] };

export type DegradationKind = Degradation['kind'];

export const DEGRADATION_KINDS: readonly DegradationKind[] = [
  'gaussian-blur',
  'defocus',
  'motion',
  'noise',
  'jpeg',
  'webp',
  'exposure',
  'contrast',
  'colour-cast',
];

/** The order a camera pipeline applies them: optics, then the sensor, then tone, then the encoder. */
const STAGE: Record<DegradationKind, number> = {
  'gaussian-blur': 0,
  defocus: 0,
  motion: 0,
  noise: 1,
  exposure: 2,
  contrast: 2,
  'colour-cast': 2,
  jpeg: 3,
  webp: 3,
};

export type Severity = 'mild' | 'strong';

export interface Recipe {
  /** Stable id, part of the degraded copy's name in feature caches. */
  readonly id: string;
  readonly severity: Severity;
  /** Applied in this order (already sorted by pipeline stage). */
  readonly steps: readonly Degradation[];
}

/**
 * One degradation of `kind` at strength s in [0, 1], for an image about 512 px on its longest side.
 * `sign` and `pick` are extra uniform draws (direction of an exposure error, which channel a cast favours).
 */
export function degradationAt(kind: DegradationKind, s: number, sign: number, pick: number): Degradation {
  switch (kind) {
    case 'gaussian-blur':
      return { kind, sigma: 0.6 + 3.4 * s };
    case 'defocus':
      return { kind, radius: 1 + 5 * s };
    case 'motion':
      return { kind, length: 3 + 14 * s, angle: pick * Math.PI };
    case 'noise':
      // Poisson-Gaussian sensor model in linear light: variance = gain * signal + read^2. After the sRGB
      // curve this is strongest in the shadows, as high-ISO photos are.
      return { kind, gain: 0.0002 + 0.01 * s, read: 0.001 + 0.006 * s };
    case 'jpeg':
      return { kind, quality: Math.round(40 - 35 * s) };
    case 'webp':
      return { kind, quality: Math.round(35 - 30 * s) };
    case 'exposure':
      return { kind, ev: (sign < 0.5 ? -1 : 1) * (0.7 + 1.8 * s) };
    case 'contrast':
      return { kind, factor: 1 - 0.65 * s };
    case 'colour-cast': {
      const up = Math.floor(pick * 3) % 3;
      const down = (up + 1 + (sign < 0.5 ? 0 : 1)) % 3;
      const gains: [number, number, number] = [1, 1, 1];
      gains[up] = 1 + 0.6 * s;
      gains[down] = 1 - 0.35 * s;
      return { kind, gains };
    }
  }
}

function hashName(name: string, seed: number): number {
  let h = seed ^ 0x9e3779b9;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 2654435761);
  return h >>> 0;
}

function describe(d: Degradation): string {
  const r = (x: number) => x.toFixed(2);
  switch (d.kind) {
    case 'gaussian-blur':
      return `gblur${r(d.sigma)}`;
    case 'defocus':
      return `defocus${r(d.radius)}`;
    case 'motion':
      return `motion${r(d.length)}@${r(d.angle)}`;
    case 'noise':
      return `noise${d.gain.toFixed(4)}`;
    case 'jpeg':
      return `jpeg${d.quality}`;
    case 'webp':
      return `webp${d.quality}`;
    case 'exposure':
      return `ev${r(d.ev)}`;
    case 'contrast':
      return `contrast${r(d.factor)}`;
    case 'colour-cast':
      return `cast${d.gains.map(r).join('/')}`;
  }
}

const byStage = (a: Degradation, b: Degradation) => STAGE[a.kind] - STAGE[b.kind];

/**
 * The mild and strong recipe of one photo, drawn from a PRNG seeded by its name: one kind, or two
 * kinds from different pipeline stages (30%). Mild strengths lie in [0.1, 0.4], strong in [0.55, 1].
 */
export function recipesFor(name: string, seed: number): readonly [Recipe, Recipe] {
  const rand = mulberry32(hashName(name, seed));
  const first = DEGRADATION_KINDS[Math.floor(rand() * DEGRADATION_KINDS.length)]!;
  const kinds: DegradationKind[] = [first];
  if (rand() < 0.3) {
    const others = DEGRADATION_KINDS.filter((k) => STAGE[k] !== STAGE[first]);
    kinds.push(others[Math.floor(rand() * others.length)]!);
  }
  const draws = kinds.map(() => ({ sign: rand(), pick: rand(), mild: 0.1 + 0.3 * rand(), strong: 0.55 + 0.45 * rand() }));
  const make = (severity: Severity): Recipe => {
    const steps = kinds.map((k, i) => degradationAt(k, draws[i]![severity], draws[i]!.sign, draws[i]!.pick)).sort(byStage);
    return { id: `${severity}:${steps.map(describe).join('+')}`, severity, steps };
  };
  return [make('mild'), make('strong')];
}
