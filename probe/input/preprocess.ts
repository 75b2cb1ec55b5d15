/**
 * The one place where probe images become model input: resize (bilinear, half-pixel centres as sharp and
 * torchvision do) when the source's size differs (squash, or the card's shorter-side resize + centre crop), grey↔RGB, RGB→BGR, NHWC→NCHW, then
 * (pixel · scale − mean[c]) / std[c] with mean/std in the model's channel order.
 */
import type { ModelCard } from '../cards/card.js';
import type { ImageBatch } from './source.js';

export function toModelInput(b: ImageBatch, card: ModelCard): Float32Array {
  const { height: H, width: W, channels: C, channelOrder, scale, mean, std } = card.input;
  if (b.channels !== 1 && b.channels !== 3)
    throw new Error(`Probe images must have 1 or 3 channels, got ${b.channels} (${b.ids[0] ?? 'batch'}).`);
  const out = new Float32Array(b.count * C * H * W);
  // Source pixels per model pixel and the window's offset: the whole image (squash), or with the card's crop
  // (and a source not already at the model size) the centre of the image scaled to the crop's shorter side.
  const crop =
    card.input.crop && (b.height !== H || b.width !== W)
      ? card.input.crop.shorterSide / Math.min(b.height, b.width)
      : null;
  const sy = crop ? 1 / crop : b.height / H;
  const sx = crop ? 1 / crop : b.width / W;
  const oy = crop ? Math.max(0, (b.height - H * sy) / 2) : 0;
  const ox = crop ? Math.max(0, (b.width - W * sx) / 2) : 0;
  const plane = H * W;
  // Source channel feeding model channel c: grey → every channel; RGB → grey by luma; BGR reverses.
  const pick = (rgb: [number, number, number], c: number): number => {
    if (channelOrder === 'gray') return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    return channelOrder === 'BGR' ? rgb[2 - c] : rgb[c];
  };
  const rgb: [number, number, number] = [0, 0, 0];
  for (let n = 0; n < b.count; n++) {
    const base = n * b.height * b.width * b.channels;
    for (let y = 0; y < H; y++) {
      const fy = Math.min(Math.max(oy + (y + 0.5) * sy - 0.5, 0), b.height - 1);
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, b.height - 1);
      const wy = fy - y0;
      for (let x = 0; x < W; x++) {
        const fx = Math.min(Math.max(ox + (x + 0.5) * sx - 0.5, 0), b.width - 1);
        const x0 = Math.floor(fx);
        const x1 = Math.min(x0 + 1, b.width - 1);
        const wx = fx - x0;
        for (let k = 0; k < 3; k++) {
          const ch = b.channels === 1 ? 0 : k;
          const at = (yy: number, xx: number): number => b.pixels[base + (yy * b.width + xx) * b.channels + ch];
          rgb[k] =
            (at(y0, x0) * (1 - wx) + at(y0, x1) * wx) * (1 - wy) + (at(y1, x0) * (1 - wx) + at(y1, x1) * wx) * wy;
        }
        for (let c = 0; c < C; c++) {
          out[n * C * plane + c * plane + y * W + x] = (pick(rgb, c) * scale - mean[c]) / std[c];
        }
      }
    }
  }
  return out;
}
