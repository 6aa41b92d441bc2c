// An animated AVIF ('avis' image sequence), which sharp cannot write: the AV1 data of still AVIFs that sharp
// encodes, laid out as the samples of one ISO-BMFF video track (moov/trak/.../stbl + mdat). The first
// still's `meta` box is kept, pointed at the first sample, so readers of still images (libheif) see frame 1
// while sequence readers (libavif in browsers) play the track.

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, vf, ...parts);
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
}

function u16(...values: number[]): Buffer {
  const b = Buffer.alloc(2 * values.length);
  values.forEach((v, i) => b.writeUInt16BE(v & 0xffff, 2 * i));
  return b;
}

/** 'avis' is the sequence brand (listed as compatible); libvips only sniffs still-image major brands. */
const MAJOR_BRAND = 'msf1';

const MATRIX = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

/** Top-level or nested box `type` found by scanning (good enough for the small files sharp writes). */
function findBox(file: Buffer, type: string): Buffer {
  const at = file.indexOf(type, 0, 'latin1');
  if (at < 4) throw new Error(`no ${type} box`);
  return file.subarray(at - 4, at - 4 + file.readUInt32BE(at - 4));
}

/** Frames: still AVIFs of one size from sharp (one image item each, no alpha). */
export function animatedAvif(stills: readonly Buffer[], width: number, height: number, frameMs = 100): Buffer {
  const av1C = findBox(stills[0]!, 'av1C');
  const samples = stills.map((s) => findBox(s, 'mdat').subarray(8));
  const duration = frameMs * samples.length;
  const ftyp = box('ftyp', Buffer.from(MAJOR_BRAND, 'latin1'), u32(0), Buffer.from('avisavifmsf1iso8mif1miafMA1B', 'latin1'));
  const sampleEntry = box(
    'av01',
    Buffer.alloc(6),
    u16(1), // data_reference_index
    Buffer.alloc(16),
    u16(width, height),
    u32(0x00480000, 0x00480000, 0),
    u16(1),
    Buffer.alloc(32),
    u16(0x0018, 0xffff),
    av1C,
  );
  const stbl = (chunkOffset: number) =>
    box(
      'stbl',
      fullBox('stsd', 0, 0, u32(1), sampleEntry),
      fullBox('stts', 0, 0, u32(1, samples.length, frameMs)),
      fullBox('stsc', 0, 0, u32(1, 1, samples.length, 1)),
      fullBox('stsz', 0, 0, u32(0, samples.length, ...samples.map((s) => s.length))),
      fullBox('stco', 0, 0, u32(1, chunkOffset)),
    );
  const moov = (chunkOffset: number) =>
    box(
      'moov',
      fullBox('mvhd', 0, 0, u32(0, 0, 1000, duration, 0x00010000), u16(0x0100), Buffer.alloc(10), MATRIX, Buffer.alloc(24), u32(2)),
      box(
        'trak',
        fullBox('tkhd', 0, 3, u32(0, 0, 1, 0, duration, 0, 0), u16(0, 0, 0, 0), MATRIX, u32(width << 16, height << 16)),
        box(
          'mdia',
          fullBox('mdhd', 0, 0, u32(0, 0, 1000, duration), u16(0x55c4, 0)),
          fullBox('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from('\0', 'latin1')),
          box(
            'minf',
            fullBox('vmhd', 0, 1, u16(0, 0, 0, 0)),
            box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
            stbl(chunkOffset),
          ),
        ),
      ),
    );
  const first = stills[0]!;
  const meta = Buffer.from(findBox(first, 'meta'));
  const dataStart = first.indexOf('mdat', 0, 'latin1') + 4;
  const sampleStart = ftyp.length + meta.length + moov(0).length + 8;
  // The item's extent offset (iloc, 4-byte offsets in sharp's files) is the only place the old position appears.
  const at = meta.indexOf(u32(dataStart));
  if (at < 0) throw new Error('cannot find the item offset in iloc');
  meta.writeUInt32BE(sampleStart, at);
  return Buffer.concat([ftyp, meta, moov(sampleStart), box('mdat', ...samples)]);
}
