// The write-back paths without a browser: an in-memory stand-in for a File System Access folder (the
// methods write-back.ts uses), and a mocked download for the zip fallback.
import { unzipSync, strFromU8 } from 'fflate';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readProperty } from '../../core/xmp/xmp-merge.ts';
import { LEAF_NS, XMP_NS } from '../../core/xmp/leaf-sidecar.ts';
import { addFolderImages, addSidecarFiles, forgetFolder, setFolder } from '../../engine-client/folder-access.ts';
import type { ModelInfo } from '../../worker/protocol.ts';
import type { ImageScore } from '../../store/images-slice.ts';
import { resetStore, useLeaf } from '../../store/store.ts';
import { reportText, writeSidecars } from './write-back.ts';
import { zoomTarget } from './zoom-target.ts';

const downloads: { name: string; blob: Blob }[] = [];
vi.mock('../../shared/ui/download.ts', () => ({
  stamp: () => '20260101-000000',
  downloadBlob: (name: string, blob: Blob) => downloads.push({ name, blob }),
}));

class MemFile {
  constructor(
    readonly name: string,
    public text: string | null,
    readonly readOnly: boolean,
  ) {}
  readonly kind = 'file';
  async getFile() {
    if (this.text === null) throw new DOMException('gone', 'NotFoundError');
    return new File([this.text], this.name);
  }
  async createWritable() {
    if (this.readOnly) throw new DOMException('read-only', 'NoModificationAllowedError');
    let buf = '';
    return { write: async (s: string) => void (buf += s), close: async () => void (this.text = buf) };
  }
}

class MemDir {
  readonly kind = 'directory';
  readonly files = new Map<string, MemFile>();
  constructor(
    readonly name: string,
    readonly readOnly = false,
  ) {}
  async getDirectoryHandle(name: string): Promise<MemDir> {
    throw new DOMException(`no folder ${name}`, 'NotFoundError');
  }
  async getFileHandle(name: string, opts?: { create?: boolean }): Promise<MemFile> {
    let f = this.files.get(name);
    if (!f) {
      if (!opts?.create) throw new DOMException(`no file ${name}`, 'NotFoundError');
      f = new MemFile(name, null, this.readOnly);
      this.files.set(name, f);
    }
    return f;
  }
}

const model: ModelInfo = { name: 'm', version: 'v1', output: { name: 'q', min: 1, max: 5, description: '' }, defaultMode: 'fast', bytes: 1 };
const s = () => useLeaf.getState();

function seed(paths: string[]) {
  s().engineReady({ backend: { backend: 'wasm', forced: false, reason: '', skipped: [], detail: '' }, model, timings: { backendMs: 1, loadMs: 1, warmUpMs: 1, readyAtMs: 0 } });
  s().addImages(paths.map((p, i) => ({ id: `i${i}`, name: p.split('/').pop()!, path: p })));
  s().applyUpdates(
    paths.map((_, i) => ({
      id: `i${i}`,
      kind: 'scored' as const,
      score: { raw: 2 + i, probs: [0.2, 0.2, 0.2, 0.2, 0.2], mode: 'fast' as const, backend: 'wasm' as const, modelVersion: 'v1' },
      width: 10,
      height: 10,
      downscaledFrom: null,
      format: 'jpeg',
      hasThumb: false,
      contentKey: `k${i}`,
      capturedAt: null,
      embedding: 'abcd',
    })),
  );
}

beforeEach(() => {
  resetStore();
  forgetFolder();
  downloads.length = 0;
});

describe('write-back into an opened folder', () => {
  it('writes new sidecars, merges into existing ones, and touches nothing else', async () => {
    const dir = new MemDir('shoot');
    dir.files.set('a.jpg.xmp', new MemFile('a.jpg.xmp', '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Label="Blue" xmp:CreatorTool="Lr"/></rdf:RDF></x:xmpmeta>', false));
    seed(['shoot/a.jpg', 'shoot/b.jpg']);
    setFolder(dir as unknown as FileSystemDirectoryHandle);
    addFolderImages(['shoot/a.jpg', 'shoot/b.jpg']);
    s().decide([{ keys: ['k0'], edit: { flag: 'reject' } }, { keys: ['k1'], edit: { stars: 5 } }], 'hand');
    const r = await writeSidecars();
    expect(r).toMatchObject({ written: 2, merged: 1, zipped: 0, zipName: null, problems: [] });
    expect(downloads).toEqual([]);
    const a = dir.files.get('a.jpg.xmp')!.text!;
    expect(readProperty(a, XMP_NS, 'Rating')).toBe('-1');
    expect(readProperty(a, XMP_NS, 'Label')).toBe('Blue');
    expect(readProperty(a, XMP_NS, 'CreatorTool')).toBe('Lr');
    expect(readProperty(dir.files.get('b.jpg.xmp')!.text!, XMP_NS, 'Rating')).toBe('5');
    expect(readProperty(dir.files.get('b.jpg.xmp')!.text!, LEAF_NS, 'Score')).toBe('3.000');
    expect([...dir.files.keys()].sort()).toEqual(['a.jpg.xmp', 'b.jpg.xmp']);
  });

  it('falls back to the zip for a read-only folder and says so; a broken sidecar is reported and left alone', async () => {
    const dir = new MemDir('shoot', true);
    seed(['shoot/a.jpg', 'shoot/b.jpg']);
    setFolder(dir as unknown as FileSystemDirectoryHandle);
    addFolderImages(['shoot/a.jpg']);
    addSidecarFiles([{ file: new File(['<rdf:RDF'], 'b.jpg.xmp'), path: 'shoot/b.jpg.xmp' }]);
    const r = await writeSidecars();
    expect(r).toMatchObject({ written: 0, zipped: 1, zipName: 'leaf-sidecars-20260101-000000.zip' });
    expect(r.problems[0]).toMatch(/shoot\/a\.jpg\.xmp: not written next to the photo \(the folder is read-only or permission was refused\)/);
    expect(r.problems[1]).toBe('shoot/b.jpg.xmp is not valid XMP (not valid XML (unterminated tag <rdf:RDF> at character 0)): left unchanged, nothing written for shoot/b.jpg.');
    const zip = unzipSync(new Uint8Array(await downloads[0]!.blob.arrayBuffer()));
    expect(Object.keys(zip)).toEqual(['shoot/a.jpg.xmp']);
    expect(readProperty(strFromU8(zip['shoot/a.jpg.xmp']!), LEAF_NS, 'Flag')).toBe('none');
    expect(reportText(r)).toMatch(/^Downloaded leaf-sidecars-20260101-000000\.zip with 1 sidecar\. shoot\/a\.jpg\.xmp: not written/);
  });

  it('skips images that would share a sidecar under IMG_0001.xmp naming', async () => {
    seed(['IMG_1.CR3', 'IMG_1.jpg']);
    s().setCullSettings({ naming: 'stem' });
    const r = await writeSidecars();
    expect(r.zipped).toBe(1);
    expect(r.problems).toEqual(['Skipped IMG_1.jpg (its sidecar IMG_1.xmp belongs to IMG_1.CR3): choose "IMG_0001.CR3.xmp" naming to keep both.']);
  });
});

describe('zoom target', () => {
  it('is the first detail patch centre, scaled to the displayed image, else the centre', () => {
    const patches = [{ x: 100, y: 50, size: 200, contrast: 9 }];
    const score: ImageScore = { raw: 3, probs: [0.2, 0.2, 0.2, 0.2, 0.2], mode: 'accurate', backend: 'wasm', modelVersion: 'v', patches };
    // Decoded at 1000x500 from a 2000x1000 original: patch centre (200, 150) is (400, 300) at 100%.
    expect(zoomTarget({ width: 1000, height: 500, score }, { width: 2000, height: 1000 })).toEqual({ x: 400, y: 300, source: 'sharpest-patch' });
    const { patches: _none, ...whole } = score;
    expect(zoomTarget({ width: 1000, height: 500, score: whole }, { width: 2000, height: 1000 })).toEqual({ x: 1000, y: 500, source: 'centre' });
  });
});
