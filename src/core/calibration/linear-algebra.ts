// The little dense linear algebra calibration needs: Cholesky solves of small SPD systems.

/** Cholesky factor L (lower, row-major n x n) of SPD `a`; returns null if `a` is not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (s <= 0) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Solves (L L^T) x = b. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** Diagonal of (L L^T)^{-1}, via the columns of L^{-1}. */
export function choleskyInverseDiagonal(l: Float64Array, n: number): Float64Array {
  const diag = new Float64Array(n);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // Solve L v = e_c; (A^{-1})_{ii} = sum_c (L^{-1})_{c i}^2 — accumulate row-wise.
    col.fill(0);
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[i * n + k]! * col[k]!;
      col[i] = s / l[i * n + i]!;
    }
    for (let i = c; i < n; i++) diag[c]! += col[i]! * col[i]!;
  }
  return diag;
}
