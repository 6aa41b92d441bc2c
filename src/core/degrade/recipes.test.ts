import { describe, expect, it } from 'vitest';
import { DEGRADATION_KINDS, degradationAt, recipesFor } from './recipes.ts';

describe('degradation recipes', () => {
  const names = Array.from({ length: 400 }, (_, i) => `photo ${i}.jpg`);

  it('are drawn deterministically per photo and seed', () => {
    expect(recipesFor('a.jpg', 1)).toEqual(recipesFor('a.jpg', 1));
    expect(recipesFor('a.jpg', 1)).not.toEqual(recipesFor('a.jpg', 2));
  });

  it('cover every kind, some mixed, and give a mild and a strong copy of the same kinds', () => {
    const seen = new Set<string>();
    let mixed = 0;
    for (const n of names) {
      const [mild, strong] = recipesFor(n, 1);
      expect(mild.severity).toBe('mild');
      expect(strong.severity).toBe('strong');
      expect(mild.steps.map((s) => s.kind)).toEqual(strong.steps.map((s) => s.kind));
      expect(mild.id).not.toBe(strong.id);
      mild.steps.forEach((s) => seen.add(s.kind));
      if (mild.steps.length > 1) mixed++;
    }
    expect([...seen].sort()).toEqual([...DEGRADATION_KINDS].sort());
    expect(mixed / names.length).toBeGreaterThan(0.2);
    expect(mixed / names.length).toBeLessThan(0.4);
  });

  it('grow more damaging with strength', () => {
    const at = (k: (typeof DEGRADATION_KINDS)[number], s: number) => degradationAt(k, s, 0.9, 0.2) as unknown as Record<string, number>;
    expect(at('gaussian-blur', 1).sigma).toBeGreaterThan(at('gaussian-blur', 0.1).sigma);
    expect(at('defocus', 1).radius).toBeGreaterThan(at('defocus', 0.1).radius);
    expect(at('jpeg', 1).quality).toBeLessThan(at('jpeg', 0.1).quality);
    expect(at('webp', 1).quality).toBeLessThan(at('webp', 0.1).quality);
    expect(Math.abs(at('exposure', 1).ev)).toBeGreaterThan(Math.abs(at('exposure', 0.1).ev));
    expect(at('contrast', 1).factor).toBeLessThan(at('contrast', 0.1).factor);
    expect(at('noise', 1).gain).toBeGreaterThan(at('noise', 0.1).gain);
  });
});
