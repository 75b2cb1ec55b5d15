import type { ProbeResult } from '../schema.js';
import type { TrainingHistory } from './metrics.js';

/** What the rules look at; each rule says which parts it needs and skips when they are missing. */
export interface DiagnosisInput {
  history?: TrainingHistory;
  /** Classes of the task (chance accuracy 1/C, chance loss ln C). */
  classes?: number;
  /** Probe results in mini-epoch order (activations.jsonl); the last is the current state. */
  probes?: ProbeResult[];
}

export interface Finding {
  rule: string;
  severity: 'warning' | 'error';
  title: string;
  /** The numbers that triggered the rule, in words. */
  evidence: string;
  suggestion: string;
  /** Layer or mini-epoch where the problem starts, when the rule can tell. */
  where?: string;
}

export interface Rule {
  id: string;
  /** One line: what is checked and at which threshold. */
  describes: string;
  /** null: not triggered. A string: skipped, with the reason (missing input). */
  check(input: DiagnosisInput): Finding | null | { skipped: string };
}

export const latestProbe = (input: DiagnosisInput): ProbeResult | undefined => input.probes?.[input.probes.length - 1];
