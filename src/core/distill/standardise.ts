// Per-feature mean and std over a feature matrix, computed once and baked into the head so the
// student standardises identically at training and inference time.
export function featureStats(data: Float32Array, rows: number, dims: number): { mean: Float32Array; std: Float32Array } {
  const mean = new Float64Array(dims);
  const sq = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    const o = r * dims;
    for (let d = 0; d < dims; d++) {
      const v = data[o + d]!;
      mean[d]! += v;
      sq[d]! += v * v;
    }
  }
  const m = new Float32Array(dims);
  const s = new Float32Array(dims);
  for (let d = 0; d < dims; d++) {
    m[d] = mean[d]! / rows;
    const variance = sq[d]! / rows - m[d]! * m[d]!;
    // Dead channels (constant over the data) get std 1 so they contribute nothing instead of NaN.
    s[d] = variance > 1e-10 ? Math.sqrt(variance) : 1;
  }
  return { mean: m, std: s };
}

export function standardiseRows(data: Float32Array, rows: number, dims: number, mean: Float32Array, std: Float32Array): Float32Array {
  const out = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    const o = r * dims;
    for (let d = 0; d < dims; d++) out[o + d] = (data[o + d]! - mean[d]!) / std[d]!;
  }
  return out;
}
