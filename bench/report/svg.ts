/**
 * Minimal SVG charts written by hand (no charting dependency): horizontal grouped bars, one row per
 * label, one bar per series, on a log or linear axis. Enough for "legacy against fixed" plots that
 * render on GitHub and in any browser.
 */
export interface BarSeries {
  name: string;
  color: string;
  /** One value per label; undefined draws no bar. */
  values: (number | undefined)[];
}

export interface BarChart {
  title: string;
  unit: string;
  labels: string[];
  series: BarSeries[];
  log?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));

export function barChart(chart: BarChart): string {
  const labelWidth = 330;
  const plotWidth = 520;
  const barHeight = 12;
  const groupGap = 10;
  const top = 48;
  const groupHeight = chart.series.length * barHeight + groupGap;
  const height = top + chart.labels.length * groupHeight + 40;
  const width = labelWidth + plotWidth + 90;
  const all = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  const max = Math.max(...all, 1e-3);
  const min = Math.min(...all, max);
  const log = chart.log ?? max / min > 50;
  const lo = log ? 10 ** Math.floor(Math.log10(min)) : 0;
  const hi = log ? 10 ** Math.ceil(Math.log10(max)) : max * 1.05;
  const x = (v: number) =>
    log ? ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotWidth : (v / hi) * plotWidth;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${esc(chart.title)}</text>`,
  ];
  // Legend.
  chart.series.forEach((s, i) => {
    const lx = labelWidth + i * 120;
    out.push(`<rect x="${lx}" y="28" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="37">${esc(s.name)}</text>`);
  });
  // Grid: decades on a log axis, fifths on a linear one.
  const ticks: number[] = [];
  if (log) for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t);
  else for (let k = 0; k <= 5; k++) ticks.push((hi / 5) * k);
  const bottom = top + chart.labels.length * groupHeight;
  for (const t of ticks) {
    const tx = labelWidth + x(Math.max(t, log ? lo : 0));
    out.push(`<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${bottom}" stroke="#ddd"/>`);
    out.push(`<text x="${tx}" y="${bottom + 14}" text-anchor="middle" fill="#555">${fmt(t)}</text>`);
  }
  out.push(
    `<text x="${labelWidth + plotWidth / 2}" y="${bottom + 30}" text-anchor="middle" fill="#333">${esc(chart.unit)}${log ? ' (log scale)' : ''}</text>`,
  );
  chart.labels.forEach((label, li) => {
    const gy = top + li * groupHeight;
    const short = label.length > 52 ? `${label.slice(0, 50)}…` : label;
    out.push(`<text x="${labelWidth - 8}" y="${gy + (chart.series.length * barHeight) / 2 + 4}" text-anchor="end">${esc(short)}</text>`);
    chart.series.forEach((s, si) => {
      const v = s.values[li];
      const by = gy + si * barHeight;
      if (v === undefined || !Number.isFinite(v) || v <= 0) {
        out.push(`<text x="${labelWidth + 4}" y="${by + barHeight - 2}" fill="#999">n/a</text>`);
        return;
      }
      const w = Math.max(1, x(Math.max(v, lo)));
      out.push(
        `<rect x="${labelWidth}" y="${by}" width="${w.toFixed(1)}" height="${barHeight - 2}" fill="${s.color}"><title>${esc(`${s.name}: ${fmt(v)} ${chart.unit}`)}</title></rect>`,
      );
      out.push(`<text x="${labelWidth + w + 4}" y="${by + barHeight - 3}" fill="#333">${fmt(v)}</text>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
