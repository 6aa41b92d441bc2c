// Uncompressed 24-bit BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes): a format the app accepts
// that sharp cannot write.
export function encodeBmp(rgb: Uint8Array, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + stride * height;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(stride * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      b[row + x * 3] = rgb[i + 2]!;
      b[row + x * 3 + 1] = rgb[i + 1]!;
      b[row + x * 3 + 2] = rgb[i]!;
    }
  }
  return b;
}
