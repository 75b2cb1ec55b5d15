import { describe, expect, it } from 'vitest';
import { diagnose, ruleById, RULES } from '../../probe/diagnosis/registry.js';
import type { DiagnosisInput } from '../../probe/diagnosis/rule.js';
import { parseMetricsJsonl } from '../../probe/diagnosis/metrics.js';
import { appendActivations, readActivations } from '../../probe/run/activations-log.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { epoch, history, layer, probe } from './builders.js';

const LN10 = Math.log(10);
const healthy = history([epoch(1, 1.2, 0.55), epoch(2, 0.8, 0.7), epoch(3, 0.6, 0.78), epoch(4, 0.5, 0.8)]);

/** Each rule: an input that triggers it and a near miss that does not. */
const cases: Array<{ rule: string; triggers: DiagnosisInput; clear: DiagnosisInput; evidence: RegExp }> = [
  {
    rule: 'stuck-at-chance',
    triggers: { classes: 10, history: history([epoch(1, 2.31, 0.1), epoch(2, 2.3, 0.11), epoch(3, Math.LN10, 0.1)]) },
    clear: { classes: 10, history: history([epoch(1, 2.31, 0.1), epoch(2, 2.3, 0.11), epoch(3, 1.9, 0.3)]) },
    evidence: /ln 10 = 2\.303/,
  },
  {
    rule: 'accuracy-collapse',
    triggers: {
      classes: 10,
      history: history([epoch(1, 1, 0.5), epoch(2, 0.8, 0.7), epoch(3, 1.5, 0.3, undefined, 1e-2)]),
    },
    clear: { classes: 10, history: history([epoch(1, 1, 0.5), epoch(2, 0.8, 0.7), epoch(3, 0.9, 0.65)]) },
    evidence: /peaked at 0\.700 \(mini-epoch 2\).*0\.300.*lr\/batch changed/,
  },
  {
    rule: 'vanishing-gradients',
    triggers: { history: history([epoch(1, 1, 0.5, [1e-5, 1e-3, 0.5])]) },
    clear: { history: history([epoch(1, 1, 0.5, [0.02, 0.1, 0.5])]) },
    evidence: /layer1 1\.00e-5 vs layer3 5\.00e-1/,
  },
  {
    rule: 'std-collapse',
    triggers: {
      probes: [
        probe([layer('conv1', { std: 1 }), layer('conv2', { std: 2 })], { miniEpoch: 1 }),
        probe([layer('conv1', { std: 0.5 }), layer('conv2', { std: 0.1 })], { miniEpoch: 2 }),
      ],
    },
    clear: {
      probes: [
        probe([layer('conv1', { std: 1 }), layer('conv2', { std: 2 })], { miniEpoch: 1 }),
        probe([layer('conv1', { std: 0.5 }), layer('conv2', { std: 0.21 })], { miniEpoch: 2 }),
      ],
    },
    evidence: /starts at conv2: std 2\.00 at mini-epoch 1 → 0\.100/,
  },
  {
    rule: 'dead-channels',
    triggers: { probes: [probe([layer('conv1'), layer('conv2', { channels: 8, dead: 5 })])] },
    clear: { probes: [probe([layer('conv1'), layer('conv2', { channels: 8, dead: 4 })])] },
    evidence: /conv2: 5\/8 channels dead/,
  },
  {
    rule: 'se-saturated',
    triggers: { probes: [probe([layer('se1_excite', { role: 'se-gate', low: 0.6, high: 0.35 })])] },
    clear: { probes: [probe([layer('se1_excite', { role: 'se-gate', low: 0.5, high: 0.39 })])] },
    evidence: /se1_excite: 60\.0% of gates < 0\.01, 35\.0% > 0\.99/,
  },
  {
    rule: 'se-excitation-magnitude',
    // The tapped pre-sigmoid values: 2 of 4 channels past |z| = 10 triggers (one by its min), 1 of 4 does not.
    triggers: {
      probes: [probe([layer('se1_excite_logits', { role: 'se-excite', min: [-12, 0, 0, 0], maxes: [3, 11, 1, 1] })])],
    },
    clear: {
      probes: [probe([layer('se1_excite_logits', { role: 'se-excite', min: [-12, 0, 0, 0], maxes: [3, 9, 1, 1] })])],
    },
    evidence: /se1_excite_logits: 2\/4 channels reach \|z\| > 10 \(largest 12\.0\)\.$/,
  },
  {
    rule: 'non-finite',
    triggers: {
      history: history(
        [epoch(1, 1, 0.5)],
        [{ event: 'non-finite', miniEpoch: 2, step: 17, where: 'gradient', variable: 'conv3/kernel' }],
      ),
    },
    clear: { history: healthy, probes: [probe([layer('conv1')])] },
    evidence: /gradient \(conv3\/kernel\) at mini-epoch 2, step 17/,
  },
];

describe('diagnosis rules', () => {
  it('has one case per registered rule', () => {
    expect(cases.map((c) => c.rule).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it.each(cases)('$rule triggers with evidence and a suggestion', ({ rule, triggers, evidence }) => {
    const f = ruleById(rule).check(triggers);
    expect(f).not.toBeNull();
    expect(f && 'rule' in f ? f.evidence : f).toMatch(evidence);
    expect(f && 'rule' in f ? f.suggestion.length : 0).toBeGreaterThan(20);
  });

  it.each(cases)('$rule stays clear just below its threshold', ({ rule, clear }) => {
    expect(ruleById(rule).check(clear)).toBeNull();
  });

  it('reads SE excitations from gate outputs only for probes without the pre-sigmoid tap, and says so', () => {
    // sigmoid(11) ≈ 0.9999833: 2 of 4 channels past |z| = 10; a gate saturated to 1 reads as ∞.
    const f = ruleById('se-excitation-magnitude').check({
      probes: [
        probe([layer('se1_excite', { role: 'se-gate', min: [0.5, 0.5, 0.5, 0.5], maxes: [0.9999833, 1, 0.6, 0.6] })]),
      ],
    });
    expect(f && 'rule' in f ? f.evidence : '').toMatch(
      /se1_excite: 2\/4 channels reach \|z\| > 10 \(largest ∞\) \(recovered from the gate outputs/,
    );
  });

  it('flags activations that are NaN in a probe', () => {
    const f = ruleById('non-finite').check({ probes: [probe([layer('conv4', { nonFinite: 3 })])] });
    expect(f && 'rule' in f ? f.evidence : '').toMatch(/conv4 \(3 channels\)/);
  });

  it('reports skipped rules with the missing input, and nothing on a healthy run', () => {
    const d = diagnose({
      history: healthy,
      classes: 10,
      probes: [probe([layer('conv1'), layer('fc1', { role: 'fc' })])],
    });
    expect(d.findings).toEqual([]);
    expect(d.checked.find((c) => c.rule === 'std-collapse')).toMatchObject({
      result: 'skipped',
      why: 'fewer than 2 probed mini-epochs',
    });
    expect(d.checked.find((c) => c.rule === 'se-saturated')).toMatchObject({ result: 'skipped' });
    expect(d.checked.filter((c) => c.result === 'clear').map((c) => c.rule)).toContain('stuck-at-chance');
    expect(LN10).toBeCloseTo(Math.LN10, 4);
  });

  it('reads the std history back from activations.jsonl, in mini-epoch order', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'actprobe-act-')), 'activations.jsonl');
    await appendActivations(path, probe([layer('conv1', { std: 0.05 })], { miniEpoch: 2 }));
    await appendActivations(path, probe([layer('conv1', { std: 1 })], { miniEpoch: 1 }));
    const probes = await readActivations(path);
    expect(probes.map((p) => p.miniEpoch)).toEqual([1, 2]);
    expect(ruleById('std-collapse').check({ probes })).toMatchObject({ where: 'conv1' });
  });

  it('reads metrics.jsonl lines and names the bad line', () => {
    const text = [
      JSON.stringify(epoch(1, 1, 0.5)),
      JSON.stringify({ event: 'non-finite', miniEpoch: 2, step: 3, where: 'loss', variable: null, message: 'NaN' }),
      '',
    ].join('\n');
    const h = parseMetricsJsonl(text);
    expect(h.epochs).toHaveLength(1);
    expect(h.nonFinite[0].where).toBe('loss');
    expect(() => parseMetricsJsonl('{"miniEpoch": 1}\n', 'run/metrics.jsonl')).toThrow(
      /run\/metrics\.jsonl line 1 .*trainLoss/s,
    );
    expect(() => ruleById('nope')).toThrow(/known rules: non-finite, stuck-at-chance/);
  });
});
