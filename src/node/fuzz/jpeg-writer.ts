// A tiny baseline JPEG encoder for what sharp cannot write: four-channel YCCK (Adobe transform 2) and CMYK
// files made byte by byte. Correct, not small: no chroma subsampling, one flat quantisation table, and
// Huffman tables with a fixed code length (valid by construction, so no standard table is retyped here).

const ZIGZAG = (() => {
  const order: number[] = [];
  for (let s = 0; s < 15; s++) {
    const cells: number[] = [];
    for (let y = 0; y < 8; y++) {
      const x = s - y;
      if (x >= 0 && x < 8) cells.push(y * 8 + x);
    }
    order.push(...(s % 2 === 0 ? cells.reverse() : cells));
  }
  return order;
})();

const COS = Array.from({ length: 64 }, (_, i) => {
  const [u, x] = [Math.floor(i / 8), i % 8];
  return (u === 0 ? Math.SQRT1_2 : 1) * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
});

/** Every quantised coefficient fits the baseline limits (|AC| < 1024) with a step of 4. */
const QUANT = 4;

function fdct(block: Float64Array): Float64Array {
  const tmp = new Float64Array(64);
  const out = new Float64Array(64);
  for (let y = 0; y < 8; y++)
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < 8; x++) s += COS[u * 8 + x]! * block[y * 8 + x]!;
      tmp[y * 8 + u] = s / 2;
    }
  for (let u = 0; u < 8; u++)
    for (let v = 0; v < 8; v++) {
      let s = 0;
      for (let y = 0; y < 8; y++) s += COS[v * 8 + y]! * tmp[y * 8 + u]!;
      out[v * 8 + u] = s / 2;
    }
  return out;
}

class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((code >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish(): number[] {
    while (this.n !== 0) this.write(1, 1); // pad with ones
    return this.bytes;
  }
}

/** Magnitude category and the bits that encode `v` in it (JPEG's one's-complement form for negatives). */
function category(v: number): [number, number] {
  const a = Math.abs(v);
  const size = a === 0 ? 0 : Math.floor(Math.log2(a)) + 1;
  return [size, v >= 0 ? v : v + (1 << size) - 1];
}

const DC_SYMBOLS = Array.from({ length: 12 }, (_, i) => i);
// AC symbols: end-of-block, 16 zeros, and (run << 4 | size) for run 0..15, size 1..10.
const AC_ALL = (() => {
  const s = [0x00, 0xf0];
  for (let run = 0; run < 16; run++) for (let size = 1; size <= 10; size++) s.push((run << 4) | size);
  return s;
})();

/** A canonical table where every symbol has `length` bits: code = index. */
function flatTable(symbols: readonly number[], length: number): { bits: number[]; codes: Map<number, number> } {
  const bits = new Array<number>(16).fill(0);
  bits[length - 1] = symbols.length;
  return { bits, codes: new Map(symbols.map((s, i) => [s, i])) };
}

const DC_TABLE = flatTable(DC_SYMBOLS, 4);
const AC_TABLE = flatTable(AC_ALL, 8);

function segment(marker: number, body: number[]): number[] {
  return [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
}

export interface JpegPlanes {
  readonly width: number;
  readonly height: number;
  /** One plane per component, width x height bytes each, as stored (Adobe CMYK/YCCK: inverted, 255 = no ink). */
  readonly planes: readonly Uint8Array[];
  /** Adobe APP14 transform: 0 = stored as is (CMYK), 1 = YCbCr, 2 = YCCK; null: no Adobe marker. */
  readonly adobeTransform: 0 | 1 | 2 | null;
}

export function encodeJpeg({ width, height, planes, adobeTransform }: JpegPlanes): Buffer {
  const nc = planes.length;
  const out: number[] = [0xff, 0xd8];
  if (adobeTransform !== null) out.push(...segment(0xee, [...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, adobeTransform]));
  out.push(...segment(0xdb, [0, ...new Array<number>(64).fill(QUANT)]));
  const comps = planes.flatMap((_, i) => [i + 1, 0x11, 0]);
  out.push(...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, nc, ...comps]));
  out.push(...segment(0xc4, [0x00, ...DC_TABLE.bits, ...DC_SYMBOLS]));
  out.push(...segment(0xc4, [0x10, ...AC_TABLE.bits, ...AC_ALL]));
  out.push(...segment(0xda, [nc, ...planes.flatMap((_, i) => [i + 1, 0x00]), 0, 63, 0]));
  const bw = new BitWriter();
  const prevDc = new Array<number>(nc).fill(0);
  const block = new Float64Array(64);
  for (let by = 0; by < height; by += 8)
    for (let bx = 0; bx < width; bx += 8)
      for (let c = 0; c < nc; c++) {
        const plane = planes[c]!;
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++) {
            const sy = Math.min(height - 1, by + y);
            const sx = Math.min(width - 1, bx + x);
            block[y * 8 + x] = plane[sy * width + sx]! - 128;
          }
        const coef = fdct(block);
        const q = ZIGZAG.map((i) => Math.round(coef[i]! / QUANT));
        const [dcSize, dcBits] = category(q[0]! - prevDc[c]!);
        prevDc[c] = q[0]!;
        bw.write(DC_TABLE.codes.get(dcSize)!, 4);
        if (dcSize) bw.write(dcBits, dcSize);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          const v = q[k]!;
          if (v === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            bw.write(AC_TABLE.codes.get(0xf0)!, 8);
            run -= 16;
          }
          const [size, bits] = category(v);
          bw.write(AC_TABLE.codes.get((run << 4) | size)!, 8);
          bw.write(bits, size);
          run = 0;
        }
        if (run > 0) bw.write(AC_TABLE.codes.get(0x00)!, 8);
      }
  out.push(...bw.finish(), 0xff, 0xd9);
  return Buffer.from(out);
}

/** Stored (Adobe-inverted) C, M, Y planes -> the Y, Cb, Cr planes of an Adobe transform-2 (YCCK) file; K is kept. */
export function cmykToYcck(c: Uint8Array, m: Uint8Array, y: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  const n = c.length;
  const [Y, Cb, Cr] = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let i = 0; i < n; i++) {
    // Decoders turn YCCK back with C = 255 - R (libjpeg's jdcolor.c), so R = 255 - C here.
    const r = 255 - c[i]!;
    const g = 255 - m[i]!;
    const b = 255 - y[i]!;
    Y[i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
    Cb[i] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
    Cr[i] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
  }
  return [Y, Cb, Cr];
}
