// A dependency-free SVG line chart for label-budget curves: one panel per dataset, log-scaled x axis.
export interface Series {
  readonly label: string;
  readonly points: readonly { x: number; y: number }[];
}

export interface Panel {
  readonly title: string;
  readonly series: readonly Series[];
}

const COLORS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e'];

export function labelBudgetSvg(panels: readonly Panel[], yLabel: string): string {
  const w = 420;
  const h = 300;
  const m = { l: 50, r: 15, t: 30, b: 45 };
  const parts: string[] = [];
  panels.forEach((panel, pi) => {
    const ox = pi * w;
    const all = panel.series.flatMap((s) => s.points);
    const xs = all.map((p) => Math.log10(p.x));
    const ys = all.map((p) => p.y).filter(Number.isFinite);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.floor(Math.min(...ys) * 20) / 20, Math.ceil(Math.max(...ys) * 20) / 20];
    const sx = (x: number) => ox + m.l + ((Math.log10(x) - x0) / (x1 - x0 || 1)) * (w - m.l - m.r);
    const sy = (y: number) => m.t + (1 - (y - y0) / (y1 - y0 || 1)) * (h - m.t - m.b);
    parts.push(`<text x="${ox + w / 2}" y="18" text-anchor="middle" font-weight="bold">${panel.title}</text>`);
    parts.push(`<line x1="${ox + m.l}" y1="${h - m.b}" x2="${ox + w - m.r}" y2="${h - m.b}" stroke="#333"/>`);
    parts.push(`<line x1="${ox + m.l}" y1="${m.t}" x2="${ox + m.l}" y2="${h - m.b}" stroke="#333"/>`);
    for (let y = y0; y <= y1 + 1e-9; y += 0.05) {
      parts.push(`<line x1="${ox + m.l}" y1="${sy(y)}" x2="${ox + w - m.r}" y2="${sy(y)}" stroke="#ddd"/>`);
      parts.push(`<text x="${ox + m.l - 5}" y="${sy(y) + 4}" text-anchor="end" font-size="10">${y.toFixed(2)}</text>`);
    }
    const ks = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
    for (const k of ks) parts.push(`<text x="${sx(k)}" y="${h - m.b + 14}" text-anchor="middle" font-size="10">${k}</text>`);
    parts.push(`<text x="${ox + w / 2}" y="${h - 8}" text-anchor="middle" font-size="11">MOS labels k (log scale)</text>`);
    parts.push(`<text transform="translate(${ox + 12},${h / 2}) rotate(-90)" text-anchor="middle" font-size="11">${yLabel}</text>`);
    panel.series.forEach((s, si) => {
      const pts = s.points.filter((p) => Number.isFinite(p.y));
      const color = COLORS[si % COLORS.length];
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>`);
      for (const p of pts) parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2.5" fill="${color}"/>`);
      parts.push(`<rect x="${ox + m.l + 10}" y="${m.t + 6 + si * 15}" width="10" height="3" fill="${color}"/>`);
      parts.push(`<text x="${ox + m.l + 24}" y="${m.t + 11 + si * 15}" font-size="10">${s.label}</text>`);
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w * panels.length}" height="${h}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
