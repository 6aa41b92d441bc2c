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

// ---- writing: the one CSV writer (the app's Export CSV and `leaf score --csv`) ----

export type CsvValue = string | number | null | undefined;

/**
 * One CSV field: quoted when it holds a comma, quote or line break, or starts or ends with white space
 * (which spreadsheets would trim); numbers with at most 6 decimals; null, undefined and non-finite numbers
 * as an empty field.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(Number(value.toFixed(6))) : '') : value;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(fields: readonly CsvValue[]): string {
  return fields.map(csvField).join(',');
}

/** A header row and data rows; every line ends with `eol` (RFC 4180's CRLF unless asked otherwise). */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[], eol: '\r\n' | '\n' = '\r\n'): string {
  return [header, ...rows].map((r) => csvLine(r) + eol).join('');
}
