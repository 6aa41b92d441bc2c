// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines (AGIQA-3K prompts do).

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') (field += '"'), i++;
        else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length) (row.push(field), rows.push(row));
  return rows;
}

export interface LabelRow {
  readonly name: string;
  readonly mos: number;
}

/** Reads a labels CSV with a `name` column and a MOS column; rows with a non-numeric MOS are reported. */
export function parseLabels(text: string, mosColumn?: string): { labels: LabelRow[]; column: string; skipped: number } {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new Error('labels CSV is empty');
  const header = rows[0]!.map((h) => h.trim());
  const nameIdx = header.indexOf('name');
  if (nameIdx < 0) throw new Error(`labels CSV has no "name" column (columns: ${header.join(', ')})`);
  const candidates = mosColumn ? [mosColumn] : ['mos', 'mos_quality', 'MOS', 'score'];
  const column = candidates.find((c) => header.includes(c));
  if (!column) {
    throw new Error(mosColumn ? `labels CSV has no column "${mosColumn}" (columns: ${header.join(', ')})` : `labels CSV has no MOS column: pass --mos-column (columns: ${header.join(', ')})`);
  }
  const mosIdx = header.indexOf(column);
  const labels: LabelRow[] = [];
  let skipped = 0;
  for (const r of rows.slice(1)) {
    const name = r[nameIdx]?.trim();
    const mos = Number(r[mosIdx]);
    if (!name || r[mosIdx]?.trim() === '' || !Number.isFinite(mos)) skipped++;
    else labels.push({ name, mos });
  }
  return { labels, column, skipped };
}

/** One CSV field, quoted when it must be. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
