/**
 * Image bytes → model input, the way training read images (data/image-folder.ts): sharp, auto-orient,
 * cover-resize to the model's input size (or, for a model card with `crop`, shorter side to its size, then the
 * centre cut out), alpha dropped, b-w or sRGB, then (p·scale − mean[c]) / std[c] per
 * the model's preprocessing metadata, NCHW.
 */
import sharp from 'sharp';
import type { Preprocessing } from '../onnx/metadata.js';
import { centreCrop } from '../probe/input/folder.js';
import { unprocessable, unsupportedMedia } from './errors.js';

export interface DecodedImage {
  tensor: Float32Array;
  /** Source size and format, echoed back so a client can see what the server decoded. */
  source: { width: number; height: number; format: string };
}

/** The magic numbers are checked first so any other bytes get a clear 415 instead of a libvips message. */
function sniff(bytes: Buffer): 'png' | 'jpeg' | 'webp' | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  // RIFF <size> WEBP: the probe reads .webp folders, so the server takes the same files.
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  return null;
}

/** Training's default when a model carries no preprocessing: bytes scaled to [0, 1]. */
export function defaultPreprocessing(channels: number): Preprocessing {
  return {
    scale: 1 / 255,
    mean: new Array<number>(channels).fill(0),
    std: new Array<number>(channels).fill(1),
    channelOrder: channels === 1 ? 'L' : 'RGB',
  };
}

export async function decodeImage(
  bytes: Buffer,
  dims: readonly [number, number, number],
  pre: Preprocessing,
  maxPixels: number,
  /** A model card's shorter-side resize + centre crop (ImageNet references); absent: cover-resize to the input. */
  crop: { shorterSide: number } | null = null,
): Promise<DecodedImage> {
  const format = sniff(bytes);
  if (!format)
    throw unsupportedMedia(
      `the image is neither PNG nor JPEG nor WebP (first bytes ${bytes.subarray(0, 8).toString('hex') || 'none'})`,
    );
  const [channels, height, width] = dims;
  // Header only, with sharp's own pixel limit off so the check below can quote the size.
  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((err: Error) => {
      throw unprocessable(`cannot read the ${format} header: ${firstLine(err)}`);
    });
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  // Checked before decoding: a 60-byte PNG can claim 100000×100000 pixels (a decompression bomb).
  if (w * h > maxPixels) throw unprocessable(`image is ${w}×${h} = ${w * h} pixels; the limit is ${maxPixels}`);
  let img = sharp(bytes, { limitInputPixels: maxPixels }).autoOrient();
  // Same size: skip the resampler so the pixels reach the model untouched (the browser page does the same).
  // EXIF orientations 5–8 swap width and height, so such an image is resized whatever its stored size.
  const swapped = (meta.orientation ?? 1) >= 5;
  if (crop) img = img.resize({ width: crop.shorterSide, height: crop.shorterSide, fit: 'outside' });
  else if (w !== width || h !== height || swapped)
    img = img.resize({ width, height, fit: 'cover', position: 'centre' });
  img = img.removeAlpha().toColourspace(channels === 1 ? 'b-w' : 'srgb');
  const { data, info } = await img
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((err: Error) => {
      throw unprocessable(`cannot decode the ${format} image: ${firstLine(err)}`);
    });
  if (info.channels !== channels)
    throw unprocessable(`image decoded to ${info.channels} channels; the model needs ${channels}`);
  const pixels = crop
    ? centreCrop(data, info.width, info.height, { width, height, channels: channels as 1 | 3 })
    : data;
  return { tensor: normalize(pixels, dims, pre), source: { width: w, height: h, format } };
}

/** HWC uint8 → NCHW float32 with the model's scale, mean, std and channel order. */
export function normalize(
  hwc: Uint8Array,
  [channels, height, width]: readonly [number, number, number],
  pre: Preprocessing,
): Float32Array {
  const plane = height * width;
  const out = new Float32Array(channels * plane);
  for (let c = 0; c < channels; c++) {
    const src = pre.channelOrder === 'BGR' ? channels - 1 - c : c;
    const mean = pre.mean[c] ?? 0;
    const std = pre.std[c] ?? 1;
    for (let i = 0; i < plane; i++) out[c * plane + i] = (hwc[i * channels + src] * pre.scale - mean) / std;
  }
  return out;
}

const firstLine = (err: Error): string => err.message.split('\n')[0];
