/**
 * What the report reads from a run folder, validated once here (STYLE 3). manifest.json (run-folder/run-folder.ts),
 * compare.json and activations.jsonl (probe/) have producer-owned schemas; the others are typed as TS interfaces by their producers, so these
 * schemas are checked against those interfaces at compile time: a field that changes meaning upstream
 * breaks `tsc` here rather than a plot at run time.
 */
import { z } from 'zod';
import type { ParityReport } from '../../export/parity.js';
import type { Diagnosis } from '../../probe/diagnosis/registry.js';
import type { manifestSchema } from '../../run-folder/run-folder.js';
import type { MiniEpochMetrics, NonFiniteRecord } from '../../train/trainer/metrics-record.js';

// JSON.stringify writes NaN/±Inf as null: a diverged run must still get a report.
const num = z.number().nullable();

// manifest.json's schema is the run folder's own (run-folder/run-folder.ts): one definition for writer and readers.
export { manifestSchema } from '../../run-folder/run-folder.js';

export const metricsLineSchema = z.object({
  miniEpoch: z.int().nonnegative(),
  trainLoss: num,
  trainAccuracy: num.optional(),
  testLoss: num.optional(),
  testAccuracy: num,
  testTop5: num.optional(),
  lr: num.optional(),
  layers: z
    .array(z.object({ layer: z.string(), gradNorm: num, weightNorm: num.optional(), updateRatio: num.optional() }))
    .default([]),
});

export const nonFiniteLineSchema = z.object({
  event: z.literal('non-finite'),
  miniEpoch: z.int().nonnegative(),
  where: z.string().optional(),
  variable: z.string().nullable().optional(),
  message: z.string().optional(),
});

export const diagnosisSchema = z.object({
  findings: z.array(
    z.object({
      rule: z.string(),
      severity: z.enum(['warning', 'error']),
      title: z.string(),
      evidence: z.string(),
      suggestion: z.string(),
      where: z.string().optional(),
    }),
  ),
  checked: z
    .array(
      z.object({
        rule: z.string(),
        describes: z.string(),
        result: z.enum(['triggered', 'clear', 'skipped']),
        why: z.string().optional(),
      }),
    )
    .default([]),
});

// writeParityReport turns non-finite numbers into the strings "Infinity", "-Infinity", "NaN".
const parityNum = z.union([z.number(), z.enum(['Infinity', '-Infinity', 'NaN']).transform(Number)]);

export const paritySchema = z.object({
  passed: z.boolean(),
  tolerance: parityNum,
  tfjsBackend: z.string(),
  executionProvider: z.string(),
  onnxruntime: z.string(),
  inputs: z.array(z.object({ name: z.string(), images: z.number() })),
  worst: z.object({ layer: z.string(), relToScale: parityNum }).nullable(),
  layers: z.array(
    z.object({
      layer: z.string(),
      className: z.string(),
      onnxValue: z.string(),
      shape: z.array(z.number()),
      maxAbsDiff: parityNum,
      maxRelDiff: parityNum,
      scale: parityNum,
      relToScale: parityNum,
      passed: z.boolean(),
      worstInput: z.string(),
    }),
  ),
});

export type ManifestSummary = z.output<typeof manifestSchema>;
export type MetricsLine = z.output<typeof metricsLineSchema>;
export type NonFiniteLine = z.output<typeof nonFiniteLineSchema>;
export type DiagnosisFile = z.output<typeof diagnosisSchema>;
export type ParityFile = z.output<typeof paritySchema>;

// Compile-time agreement with the producers' types: `T` must be assignable to `Target`, else tsc fails here.
type Accepts<Target, T extends Target> = T;
export type SchemaAgreement = [
  Accepts<z.input<typeof metricsLineSchema>, MiniEpochMetrics>,
  Accepts<z.input<typeof nonFiniteLineSchema>, NonFiniteRecord>,
  Accepts<z.input<typeof diagnosisSchema>, Diagnosis>,
  Accepts<Diagnosis, DiagnosisFile>,
  Accepts<z.input<typeof paritySchema>, ParityReport>,
  Accepts<ParityReport, ParityFile>,
];
