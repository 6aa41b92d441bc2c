// The VQEG 4-parameter logistic that maps predictions onto MOS before PLCC/RMSE:
//   f(x) = (b1 - b2) / (1 + exp(-(x - b3) / |b4|)) + b2
// fitted by Levenberg-Marquardt from a data-driven start.

export interface Logistic4 {
  readonly b1: number;
  readonly b2: number;
  readonly b3: number;
  readonly b4: number;
}

export function evalLogistic4(p: Logistic4, x: number): number {
  return (p.b1 - p.b2) / (1 + Math.exp(-(x - p.b3) / Math.abs(p.b4))) + p.b2;
}

function std(v: readonly number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}

function sse(p: number[], x: readonly number[], y: readonly number[]): number {
  let s = 0;
  const q = { b1: p[0]!, b2: p[1]!, b3: p[2]!, b4: p[3]! };
  for (let i = 0; i < x.length; i++) s += (evalLogistic4(q, x[i]!) - y[i]!) ** 2;
  return s;
}

/** Solves the 4x4 system A d = g by Gaussian elimination with partial pivoting. */
function solve4(a: number[][], g: number[]): number[] | null {
  const m = a.map((row, i) => [...row, g[i]!]);
  for (let c = 0; c < 4; c++) {
    let piv = c;
    for (let r = c + 1; r < 4; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    if (Math.abs(m[piv]![c]!) < 1e-300) return null;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    for (let r = c + 1; r < 4; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < 5; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const d = [0, 0, 0, 0];
  for (let r = 3; r >= 0; r--) {
    let s = m[r]![4]!;
    for (let k = r + 1; k < 4; k++) s -= m[r]![k]! * d[k]!;
    d[r] = s / m[r]![r]!;
  }
  return d;
}

export function fitLogistic4(x: readonly number[], y: readonly number[], iterations = 200): Logistic4 {
  const sx = std(x) || 1;
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  // Start: a rising curve spanning the label range, centred on the predictions.
  let p = [Math.max(...y), Math.min(...y), mean(x), sx];
  let lambda = 1e-3;
  let cur = sse(p, x, y);
  for (let it = 0; it < iterations; it++) {
    const jtj = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
    const jtr = [0, 0, 0, 0];
    const q = { b1: p[0]!, b2: p[1]!, b3: p[2]!, b4: p[3]! };
    const s = Math.abs(q.b4);
    for (let i = 0; i < x.length; i++) {
      const e = Math.exp(-(x[i]! - q.b3) / s);
      const sig = 1 / (1 + e);
      const r = evalLogistic4(q, x[i]!) - y[i]!;
      const dsig = sig * (1 - sig);
      const grad = [sig, 1 - sig, (-(q.b1 - q.b2) * dsig) / s, (-(q.b1 - q.b2) * dsig * (x[i]! - q.b3)) / (s * s) * Math.sign(q.b4 || 1)];
      for (let a = 0; a < 4; a++) {
        jtr[a]! += grad[a]! * r;
        for (let b = 0; b < 4; b++) jtj[a]![b]! += grad[a]! * grad[b]!;
      }
    }
    const damped = jtj.map((row, i) => row.map((v, j) => (i === j ? v * (1 + lambda) + 1e-12 : v)));
    const step = solve4(damped, jtr.map((v) => -v));
    if (!step) break;
    const next = p.map((v, i) => v + step[i]!);
    const nextSse = sse(next, x, y);
    if (Number.isFinite(nextSse) && nextSse < cur) {
      const gain = cur - nextSse;
      p = next;
      cur = nextSse;
      lambda = Math.max(lambda / 3, 1e-9);
      if (gain < 1e-12 * (1 + cur)) break;
    } else {
      lambda *= 4;
      if (lambda > 1e9) break;
    }
  }
  return { b1: p[0]!, b2: p[1]!, b3: p[2]!, b4: p[3]! };
}
