/**
 * Magnitudes against depth: per conv layer its max, p99, std and zero share at its relative depth among the
 * model's convs ((i + ½) / k, as layer matching uses), raw (what a user sees printed) with the input's std beside
 * it. One profile per probe: ours at a checkpoint, the reference on its photos or on our images.
 */
import { z } from 'zod';
import type { ProbeResult } from '../schema.js';

export const depthPointSchema = z.object({
  layer: z.string(),
  relativeDepth: z.number(),
  max: z.number().nullable(),
  p99: z.number().nullable(),
  std: z.number().nullable(),
  zeroFraction: z.number().nullable(),
});

export const depthProfileSchema = z.object({
  /** e.g. "ours, mini-epoch 0", "squeezenet1.1 on its photos". */
  who: z.string(),
  source: z.string(),
  images: z.int().nonnegative(),
  miniEpoch: z.int().nonnegative().optional(),
  inputStd: z.number().nullable(),
  points: z.array(depthPointSchema),
});

export type DepthPoint = z.infer<typeof depthPointSchema>;
export type DepthProfile = z.infer<typeof depthProfileSchema>;

export function depthProfile(p: ProbeResult, who: string): DepthProfile {
  const convs = p.layers.filter((l) => l.role === 'conv');
  return {
    who,
    source: p.source,
    images: p.images,
    ...(p.miniEpoch !== undefined ? { miniEpoch: p.miniEpoch } : {}),
    inputStd: p.input.summary.std,
    points: convs.map((l, i) => ({
      layer: l.name,
      relativeDepth: (i + 0.5) / convs.length,
      max: l.summary.max,
      p99: l.summary.p99,
      std: l.summary.std,
      zeroFraction: l.summary.zeroFraction,
    })),
  };
}

/** The profile's point nearest to relative depth d. */
export function pointAt(profile: DepthProfile, d: number): DepthPoint | null {
  let best: DepthPoint | null = null;
  for (const q of profile.points)
    if (!best || Math.abs(q.relativeDepth - d) < Math.abs(best.relativeDepth - d)) best = q;
  return best;
}
