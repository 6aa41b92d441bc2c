import { describe, expect, it } from 'vitest';
import { csvField, formatCsv, parseCsv, parseLabels } from './csv.ts';

describe('csv', () => {
  it('parses quoted commas, quotes, newlines and CRLF', () => {
    expect(parseCsv('name,prompt\r\na.jpg,"a, ""b""\nc"\r\n')).toEqual([['name', 'prompt'], ['a.jpg', 'a, "b"\nc']]);
  });
  it('round-trips fields through csvField', () => {
    const tricky = 'ss01 (1).jpg, "x"';
    expect(parseCsv(`${csvField(tricky)},2\n`)).toEqual([[tricky, '2']]);
  });
  it('finds the MOS column, counts bad rows, and names the columns when one is missing', () => {
    const r = parseLabels('name,mos\r\na.jpg,0.5\r\nb.jpg,\r\nc.jpg,x\r\n');
    expect(r).toEqual({ labels: [{ name: 'a.jpg', mos: 0.5 }], column: 'mos', skipped: 2 });
    expect(() => parseLabels('file,mos\n')).toThrow(/no "name" column/);
    expect(() => parseLabels('name,q\n', 'mos_quality')).toThrow(/no column "mos_quality" \(columns: name, q\)/);
  });
});

describe('formatCsv', () => {
  it('writes a header and rows with one quoting rule and the asked line end', () => {
    expect(formatCsv(['name', 'score'], [['a, b.jpg', 1 / 3], [' lead', null]])).toBe('name,score\r\n"a, b.jpg",0.333333\r\n" lead",\r\n');
    expect(formatCsv(['x'], [['say "hi"']], '\n')).toBe('x\n"say ""hi"""\n');
  });
});
