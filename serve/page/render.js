// Drawing only: top-k list, layer statistics and channel heatmaps. No model logic here; the statistics are
// channel-stats.js's, the same code the server runs.
import { layerStats } from './channel-stats.js';

const fmt = (v) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toFixed(3));

export function renderTop(list, labels, probs, k = 5) {
  const order = Array.from(probs.keys())
    .sort((a, b) => probs[b] - probs[a])
    .slice(0, k);
  list.replaceChildren(
    ...order.map((i) => {
      const li = document.createElement('li');
      li.innerHTML = `<span></span> <meter min="0" max="1"></meter> ${probs[i].toFixed(4)}`;
      li.querySelector('span').textContent = labels[i] ?? String(i);
      li.querySelector('meter').value = probs[i];
      return li;
    }),
  );
  return order.map((i) => ({ label: labels[i], index: i, score: probs[i] }));
}

/** Viridis-like ramp: dark blue (channel min) → yellow (channel max). */
function colour(t) {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.min(0.9999, Math.max(0, t)) * (stops.length - 1);
  const i = Math.floor(x);
  const f = x - i;
  return stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f));
}

function heatmap(values, w, h, cls) {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  if (cls) canvas.className = cls;
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  values.forEach((v, i) => {
    const [r, g, b] = colour(hi > lo ? (v - lo) / (hi - lo) : 0);
    img.data.set([r, g, b, 255], 4 * i);
  });
  ctx.putImageData(img, 0, 0);
  const fig = document.createElement('figure');
  const cap = document.createElement('figcaption');
  cap.textContent = `${fmt(lo)} … ${fmt(hi)}`;
  fig.append(canvas, cap);
  return fig;
}

/** One row per layer: its stats, then `channels` heatmaps (rank 4) or a strip of channel values (rank 2). */
export function renderLayers(root, layers, channels = 4) {
  root.replaceChildren(
    ...layers.map(({ name, op, dims, data }) => {
      const row = document.createElement('div');
      row.className = 'layer';
      const s = layerStats(data);
      const info = document.createElement('div');
      info.className = 'info';
      info.textContent = `${name} (${op}) [${dims.join('×')}]\nmin ${fmt(s.min)}  max ${fmt(s.max)}\nmean ${fmt(s.mean)}  std ${fmt(s.std)}  zero ${(100 * s.zeroFraction).toFixed(1)}%`;
      row.append(info);
      if (dims.length === 4) {
        const [, C, H, W] = dims;
        for (let c = 0; c < Math.min(channels, C); c++)
          row.append(heatmap(data.subarray(c * H * W, (c + 1) * H * W), W, H));
      } else {
        const C = data.length;
        row.append(heatmap(data.subarray(0, Math.min(C, 64)), Math.min(C, 64), 1, 'strip'));
      }
      return row;
    }),
  );
}
