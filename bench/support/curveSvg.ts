// A line chart as plain SVG text: one polyline per series over shared axes, with ticks, grid
// and a legend. Hand-made on purpose: the benches write one small chart, no library needed.

export interface Series {
  name: string;
  color: string;
  /** [x, y] points; drawn in x order. */
  points: [number, number][];
}

export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

const W = 720;
const H = 440;
const M = { left: 64, right: 170, top: 40, bottom: 52 };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Round tick steps (1, 2, 5 × 10^k) so about `count` ticks cover 0..max. */
export function ticks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  if (out.at(-1)! < max) out.push(Number((out.at(-1)! + step).toFixed(10)));
  return out;
}

export function lineChartSvg(chart: Chart): string {
  const all = chart.series.flatMap((s) => s.points);
  const xs = ticks(Math.max(...all.map((p) => p[0]), 1));
  const ys = ticks(Math.max(...all.map((p) => p[1]), 1));
  const [xMax, yMax] = [xs.at(-1)!, ys.at(-1)!];
  const px = (x: number) => M.left + (x / xMax) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - (y / yMax) * (H - M.top - M.bottom);
  const f = (n: number) => n.toFixed(1);
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escape(chart.title)}</text>`,
  ];
  for (const x of xs) {
    lines.push(`<line x1="${f(px(x))}" y1="${M.top}" x2="${f(px(x))}" y2="${H - M.bottom}" stroke="#e4e4e4"/>`);
    lines.push(`<text x="${f(px(x))}" y="${H - M.bottom + 16}" text-anchor="middle">${x}</text>`);
  }
  for (const y of ys) {
    lines.push(`<line x1="${M.left}" y1="${f(py(y))}" x2="${W - M.right}" y2="${f(py(y))}" stroke="#e4e4e4"/>`);
    lines.push(`<text x="${M.left - 6}" y="${f(py(y) + 4)}" text-anchor="end">${y}</text>`);
  }
  lines.push(`<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>`);
  lines.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>`);
  lines.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">${escape(chart.xLabel)}</text>`);
  lines.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`);
  chart.series.forEach((s, i) => {
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    if (pts.length > 1) lines.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([x, y]) => `${f(px(x))},${f(py(y))}`).join(' ')}"/>`);
    for (const [x, y] of pts) lines.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3" fill="${s.color}"><title>${escape(`${s.name}: ${x} → ${y}`)}</title></circle>`);
    const ly = M.top + 10 + i * 20;
    lines.push(`<line x1="${W - M.right + 14}" y1="${ly}" x2="${W - M.right + 38}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`);
    lines.push(`<text x="${W - M.right + 44}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  lines.push('</svg>', '');
  return lines.join('\n');
}
