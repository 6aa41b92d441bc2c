// An append-only JSON-lines log for resumable caches (teacher judgments, classical scores): one record
// per line, each appended synchronously so it is in the OS before the caller moves on; a crash loses at
// most the line being written. On open, lines that do not parse (a torn last line) are counted and skipped,
// and a torn last line is ended so the next append does not glue itself onto it.
import fs from 'node:fs';
import path from 'node:path';

/** Turns one parsed line into a record, or undefined to skip it (wrong shape, another model version...). */
export type LineReader<T> = (value: unknown) => T | undefined;

export class JsonlLog<T> {
  private constructor(readonly file: string) {}

  /**
   * Opens `file` for appending (creating its folder) and reads its records; `alsoRead` are further logs
   * whose records count too (read first, never written).
   */
  static open<T>(file: string, read: LineReader<T>, alsoRead: readonly string[] = []): { log: JsonlLog<T>; records: T[]; skipped: number } {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const records: T[] = [];
    let skipped = 0;
    for (const f of [...alsoRead.filter((x) => path.resolve(x) !== path.resolve(file)), file]) {
      if (!fs.existsSync(f)) continue;
      for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          skipped++;
          continue;
        }
        const record = read(value);
        if (record === undefined) skipped++;
        else records.push(record);
      }
    }
    endTornLine(file);
    return { log: new JsonlLog<T>(file), records, skipped };
  }

  append(record: T): void {
    fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }
}

function endTornLine(file: string): void {
  if (!fs.existsSync(file)) return;
  const size = fs.statSync(file).size;
  if (size === 0) return;
  const fd = fs.openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) fs.appendFileSync(file, '\n');
  } finally {
    fs.closeSync(fd);
  }
}
