// Image → model input in the browser, mirroring serve/image.ts (sharp): cover-resize centred, alpha dropped,
// grey via libvips' sRGB → b-w (Rec. 709 luminance in linear light; within one grey level of sharp), then
// (p·scale − mean[c]) / std[c], NCHW. An image already at the model's size is not resampled, so page and
// server see the same pixels; otherwise the canvas resampler differs slightly from sharp's lanczos3.

/** Source rectangle that sharp's `fit: 'cover', position: 'centre'` keeps. */
export function coverRect(w, h, W, H) {
  const scale = Math.max(W / w, H / h);
  const sw = W / scale;
  const sh = H / scale;
  return { sx: (w - sw) / 2, sy: (h - sh) / 2, sw, sh };
}

/** Source rectangle of a model card's crop: shorter side scaled to `shorter`, the centre W×H cut out (serve/image.ts). */
export function cropRect(w, h, W, H, shorter) {
  const scale = shorter / Math.min(w, h);
  const sw = W / scale;
  const sh = H / scale;
  return { sx: (w - sw) / 2, sy: (h - sh) / 2, sw, sh };
}

/** Class probabilities from logits (models whose card says the output holds logits). */
export function softmax(logits) {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return Float32Array.from(e, (v) => v / sum);
}

const toLinear = (v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const toSrgb = (v) => (v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055);

function grey(r, g, b) {
  if (r === g && g === b) return r; // exact for grey images, whatever the weights
  const y = 0.2126 * toLinear(r / 255) + 0.7152 * toLinear(g / 255) + 0.0722 * toLinear(b / 255);
  return Math.round(Math.min(1, Math.max(0, toSrgb(y))) * 255);
}

/** RGBA bytes of an H×W canvas → Float32Array [1, C, H, W] per the model's preprocessing. */
export function toInput(rgba, [C, H, W], pre) {
  const plane = H * W;
  const out = new Float32Array(C * plane);
  for (let i = 0; i < plane; i++) {
    const r = rgba[4 * i];
    const g = rgba[4 * i + 1];
    const b = rgba[4 * i + 2];
    for (let c = 0; c < C; c++) {
      let p;
      if (pre.channelOrder === 'L') p = grey(r, g, b);
      else p = [r, g, b][pre.channelOrder === 'BGR' ? 2 - c : c];
      out[c * plane + i] = (p * pre.scale - (pre.mean[c] ?? 0)) / (pre.std[c] ?? 1);
    }
  }
  return out;
}

/** Training's default when the model carries no preprocessing (serve/image.ts defaultPreprocessing). */
export function defaultPreprocessing(C) {
  return { scale: 1 / 255, mean: new Array(C).fill(0), std: new Array(C).fill(1), channelOrder: C === 1 ? 'L' : 'RGB' };
}
