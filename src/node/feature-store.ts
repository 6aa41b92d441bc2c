// Append-only on-disk store of pooled backbone features, one row per image, so a long extraction can be
// killed and resumed: rows are appended as they are computed, and on reopen a half-written last row is
// cut off. Layout: <base>.names (one JSON string per line) + <base>.f32 (rows of `dims` float32).
import fs from 'node:fs';
import path from 'node:path';

export interface FeatureTable {
  readonly names: string[];
  readonly dims: number;
  /** Row-major [names.length, dims]. */
  readonly data: Float32Array;
}

export class FeatureStore {
  private readonly namesPath: string;
  private readonly dataPath: string;
  readonly done = new Map<string, number>();

  constructor(base: string, readonly dims: number) {
    this.namesPath = `${base}.names`;
    this.dataPath = `${base}.f32`;
    fs.mkdirSync(path.dirname(base), { recursive: true });
    this.recover();
  }

  private recover(): void {
    const lines = fs.existsSync(this.namesPath) ? fs.readFileSync(this.namesPath, 'utf8').split('\n') : [];
    const complete: string[] = [];
    for (const line of lines) {
      if (!line) continue;
      try {
        complete.push(JSON.parse(line) as string);
      } catch {
        break; // a torn last line from a crash
      }
    }
    const rowBytes = this.dims * 4;
    const bytes = fs.existsSync(this.dataPath) ? fs.statSync(this.dataPath).size : 0;
    const rows = Math.min(complete.length, Math.floor(bytes / rowBytes));
    complete.length = rows;
    fs.writeFileSync(this.namesPath, complete.map((n) => JSON.stringify(n) + '\n').join(''));
    if (bytes !== rows * rowBytes) fs.truncateSync(this.dataPath, rows * rowBytes);
    complete.forEach((n, i) => this.done.set(n, i));
  }

  append(name: string, row: Float32Array): void {
    if (row.length !== this.dims) throw new Error(`feature row for ${name} has ${row.length} values, expected ${this.dims}`);
    // Data first: a crash between the two writes leaves an extra data row, which recover() cuts off.
    fs.appendFileSync(this.dataPath, new Uint8Array(row.buffer, row.byteOffset, row.byteLength));
    fs.appendFileSync(this.namesPath, JSON.stringify(name) + '\n');
    this.done.set(name, this.done.size);
  }

  read(): FeatureTable {
    const buf = fs.readFileSync(this.dataPath);
    const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    return { names: [...this.done.keys()], dims: this.dims, data };
  }
}
