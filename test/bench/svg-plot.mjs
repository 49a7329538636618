// A small SVG line-chart writer for test/bench/RESULTS.md (no dependency): linear axes from 0 with round ticks, one
// polyline with dots per series, a legend, and optional target lines. Plain text in, plain text out:
//
//   lineChart({ title, xLabel, yLabel, series: [{ name, points: [[x, y], ...], dashed? }], targets?: [{ y, label }] })
//
// Colours are fixed per series index and readable on GitHub's light and dark backgrounds (the chart has its own
// white background).

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf'];

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Round tick step: 1, 2 or 5 × 10^k, giving about `count` ticks up to `max`. */
export function tickStep(max, count = 5) {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** `1,000`, `2.5`, `0.25`: short tick labels. */
export function tickLabel(v) {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en');
  return String(Math.round(v * 1000) / 1000);
}

export function lineChart({ title, xLabel, yLabel, series, targets = [], width = 640, height = 360 }) {
  const m = { left: 64, right: 32, top: 36, bottom: 48 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const all = series.flatMap((s) => s.points);
  if (!all.length) throw new Error(`chart "${title}" has no points`);
  const xMaxData = Math.max(...all.map(([x]) => x));
  const yMaxData = Math.max(...all.map(([, y]) => y), ...targets.map((t) => t.y));
  const xStep = tickStep(xMaxData);
  const yStep = tickStep(yMaxData);
  const xMax = Math.ceil(xMaxData / xStep) * xStep || 1;
  const yMax = Math.ceil((yMaxData * 1.05) / yStep) * yStep || 1;
  const X = (x) => m.left + (x / xMax) * w;
  const Y = (y) => m.top + h - (y / yMax) * h;
  const f = (n) => Math.round(n * 10) / 10;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
  );
  // grid and ticks
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(
      `<line x1="${m.left}" y1="${f(Y(v))}" x2="${m.left + w}" y2="${f(Y(v))}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 6}" y="${f(Y(v) + 4)}" text-anchor="end" fill="#333">${esc(tickLabel(v))}</text>`,
    );
  }
  for (let v = 0; v <= xMax + 1e-9; v += xStep) {
    out.push(
      `<line x1="${f(X(v))}" y1="${m.top + h}" x2="${f(X(v))}" y2="${m.top + h + 4}" stroke="#333"/>`,
      `<text x="${f(X(v))}" y="${m.top + h + 18}" text-anchor="middle" fill="#333">${esc(tickLabel(v))}</text>`,
    );
  }
  out.push(
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + h}" stroke="#333"/>`,
    `<line x1="${m.left}" y1="${m.top + h}" x2="${m.left + w}" y2="${m.top + h}" stroke="#333"/>`,
    `<text x="${m.left + w / 2}" y="${height - 10}" text-anchor="middle" fill="#333">${esc(xLabel)}</text>`,
    `<text transform="translate(16 ${m.top + h / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(yLabel)}</text>`,
  );
  for (const t of targets) {
    out.push(
      `<line x1="${m.left}" y1="${f(Y(t.y))}" x2="${m.left + w}" y2="${f(Y(t.y))}" stroke="#888" stroke-dasharray="2 3"/>`,
      `<text x="${m.left + w - 4}" y="${f(Y(t.y) - 4)}" text-anchor="end" fill="#666">${esc(t.label)}</text>`,
    );
  }
  series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length];
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    out.push(
      `<polyline fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${pts.map(([x, y]) => `${f(X(x))},${f(Y(y))}`).join(' ')}"/>`,
    );
    if (!s.dashed) for (const [x, y] of pts) out.push(`<circle cx="${f(X(x))}" cy="${f(Y(y))}" r="3" fill="${c}"/>`);
    const ly = m.top + 8 + i * 16;
    out.push(
      `<line x1="${m.left + 10}" y1="${ly}" x2="${m.left + 34}" y2="${ly}" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${m.left + 40}" y="${ly + 4}" fill="#333">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
