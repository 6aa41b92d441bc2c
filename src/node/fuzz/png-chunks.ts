// PNG files built chunk by chunk, for what sharp will not write: a header that lies about the size, and an
// animated PNG (APNG: acTL / fcTL / fdAT chunks around ordinary IDAT data).
import zlib from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

export interface PngChunkView {
  readonly type: string;
  readonly data: Buffer;
}

export function readPngChunks(png: Buffer): PngChunkView[] {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  const out: PngChunkView[] = [];
  for (let at = 8; at + 12 <= png.length; ) {
    const len = png.readUInt32BE(at);
    out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + len) });
    at += 12 + len;
  }
  return out;
}

export function writePng(chunks: readonly PngChunkView[]): Buffer {
  return Buffer.concat([SIGNATURE, ...chunks.map((c) => pngChunk(c.type, c.data))]);
}

/** The same PNG with IHDR claiming another size (valid CRC, so only the size is a lie). */
export function withClaimedSize(png: Buffer, width: number, height: number): Buffer {
  return writePng(
    readPngChunks(png).map((c) => {
      if (c.type !== 'IHDR') return c;
      const data = Buffer.from(c.data);
      data.writeUInt32BE(width, 0);
      data.writeUInt32BE(height, 4);
      return { type: c.type, data };
    }),
  );
}

/** An APNG from same-sized PNG frames (same IHDR): frame 0 is the default image, the others follow as fdAT. */
export function animatedPng(frames: readonly Buffer[], delayMs = 200): Buffer {
  const parsed = frames.map(readPngChunks);
  const ihdr = parsed[0]!.find((c) => c.type === 'IHDR')!;
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  const out: PngChunkView[] = [ihdr];
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(frames.length, 0); // frames; plays 0 = forever
  out.push({ type: 'acTL', data: actl });
  let seq = 0;
  parsed.forEach((chunks, i) => {
    const fctl = Buffer.alloc(26);
    fctl.writeUInt32BE(seq++, 0);
    fctl.writeUInt32BE(width, 4);
    fctl.writeUInt32BE(height, 8);
    fctl.writeUInt16BE(delayMs, 20);
    fctl.writeUInt16BE(1000, 22);
    out.push({ type: 'fcTL', data: fctl });
    for (const idat of chunks.filter((c) => c.type === 'IDAT')) {
      if (i === 0) out.push(idat);
      else {
        const n = Buffer.alloc(4);
        n.writeUInt32BE(seq++, 0);
        out.push({ type: 'fdAT', data: Buffer.concat([n, idat.data]) });
      }
    }
  });
  out.push({ type: 'IEND', data: Buffer.alloc(0) });
  return writePng(out);
}
