/** The diagnosis rules, in the order findings are reported. One file each under rules/. */
import type { DiagnosisInput, Finding, Rule } from './rule.js';
import { accuracyCollapse } from './rules/accuracy-collapse.js';
import { deadChannels } from './rules/dead-channels.js';
import { nonFinite } from './rules/non-finite.js';
import { seExcitation } from './rules/se-excitation.js';
import { seSaturation } from './rules/se-saturation.js';
import { stdCollapse } from './rules/std-collapse.js';
import { stuckAtChance } from './rules/stuck-at-chance.js';
import { vanishingGradients } from './rules/vanishing-gradients.js';

export const RULES: readonly Rule[] = [
  nonFinite,
  stuckAtChance,
  accuracyCollapse,
  vanishingGradients,
  stdCollapse,
  deadChannels,
  seSaturation,
  seExcitation,
];

export interface Diagnosis {
  findings: Finding[];
  checked: Array<{ rule: string; describes: string; result: 'triggered' | 'clear' | 'skipped'; why?: string }>;
}

export function diagnose(input: DiagnosisInput, rules: readonly Rule[] = RULES): Diagnosis {
  const findings: Finding[] = [];
  const checked: Diagnosis['checked'] = [];
  for (const rule of rules) {
    const r = rule.check(input);
    if (r === null) checked.push({ rule: rule.id, describes: rule.describes, result: 'clear' });
    else if ('skipped' in r)
      checked.push({ rule: rule.id, describes: rule.describes, result: 'skipped', why: r.skipped });
    else {
      findings.push(r);
      checked.push({ rule: rule.id, describes: rule.describes, result: 'triggered' });
    }
  }
  return { findings, checked };
}

export function ruleById(id: string): Rule {
  const r = RULES.find((x) => x.id === id);
  if (!r) throw new Error(`Unknown diagnosis rule "${id}"; known rules: ${RULES.map((x) => x.id).join(', ')}.`);
  return r;
}
