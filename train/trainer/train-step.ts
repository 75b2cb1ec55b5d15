import * as tf from '@tensorflow/tfjs';
import type { ActivityPenalty } from '../models/index.js';

/** What one optimisation step reports back, read from the backend in a single transfer. */
export interface StepReport {
  loss: number;
  correct: number;
  /** Squared L2 norm of each trainable variable's gradient, in `variables` order. */
  gradSq: Float32Array;
  /** Only on sampled steps: squared norms of each variable after the step and of its change. */
  weightSq?: Float32Array;
  updateSq?: Float32Array;
}

export class NonFiniteError extends Error {
  constructor(
    readonly where: 'loss' | 'gradient' | 'weights',
    readonly variable: string | null,
    message: string,
  ) {
    super(message);
  }
}

export interface TrainStep {
  /** Trainable variables in the order of every per-variable array. */
  variables: tf.Variable[];
  /** Keras layer name owning each variable (same order). */
  layerOfVariable: string[];
  run(x: tf.Tensor4D, labels: tf.Tensor1D, optimizer: tf.Optimizer, sampleWeights: boolean): StepReport;
}

/**
 * Builds the step: forward in training mode, cross-entropy + activity penalties, gradients, a finiteness
 * check BEFORE the update (so a NaN never reaches the weights), then the update.
 */
export function createTrainStep(model: tf.LayersModel, penalties: ActivityPenalty[], classes: number): TrainStep {
  const penaltyOutputs = penalties.map((p) => model.getLayer(p.layer).output as tf.SymbolicTensor);
  const trainModel =
    penalties.length > 0 ? tf.model({ inputs: model.inputs, outputs: [model.outputs[0], ...penaltyOutputs] }) : model;
  const variables: tf.Variable[] = [];
  const layerOfVariable: string[] = [];
  for (const layer of model.layers) {
    for (const w of layer.trainableWeights) {
      variables.push(w.read() as tf.Variable);
      layerOfVariable.push(layer.name);
    }
  }

  const run = (x: tf.Tensor4D, labels: tf.Tensor1D, optimizer: tf.Optimizer, sampleWeights: boolean): StepReport => {
    let correct: tf.Tensor | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const raw = trainModel.apply(x, { training: true });
      const outs = Array.isArray(raw) ? raw : [raw];
      const probs = outs[0] as tf.Tensor2D;
      const onehot = tf.oneHot(labels, classes);
      // Keras' categorical cross-entropy on softmax output: clip so log never sees 0.
      let loss: tf.Tensor = tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.log(tf.clipByValue(probs, 1e-7, 1))), 1)));
      penalties.forEach((p, i) => {
        loss = tf.add(loss, tf.mul(p.weight, tf.mean(tf.square(tf.sub(1, outs[i + 1] as tf.Tensor)))));
      });
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labels), 'float32')));
      return loss as tf.Scalar;
    }, variables);

    const ordered = variables.map((v) => grads[v.name]);
    const gradSq = tf.tidy(() => tf.stack(ordered.map((g) => tf.sum(tf.square(g)))));
    const head = tf.tidy(() =>
      tf.concat([tf.reshape(value, [1]), tf.reshape(correct as unknown as tf.Tensor, [1]), gradSq]),
    );
    const values = head.dataSync() as Float32Array;
    tf.dispose([head, gradSq, correct as unknown as tf.Tensor, value]);
    const report: StepReport = { loss: values[0], correct: values[1], gradSq: values.slice(2) };

    if (!Number.isFinite(report.loss)) {
      tf.dispose(grads);
      throw new NonFiniteError('loss', null, `loss is ${report.loss}`);
    }
    const bad = report.gradSq.findIndex((s) => !Number.isFinite(s));
    if (bad >= 0) {
      tf.dispose(grads);
      throw new NonFiniteError(
        'gradient',
        variables[bad].name,
        `gradient of ${variables[bad].name} (layer ${layerOfVariable[bad]}) is not finite`,
      );
    }

    const before = sampleWeights ? variables.map((v) => tf.clone(v)) : [];
    optimizer.applyGradients(grads);
    tf.dispose(grads);
    if (sampleWeights) {
      const sq = tf.tidy(() =>
        tf.concat([
          tf.stack(variables.map((v) => tf.sum(tf.square(v)))),
          tf.stack(variables.map((v, i) => tf.sum(tf.square(tf.sub(v, before[i]))))),
        ]),
      );
      const both = sq.dataSync() as Float32Array;
      tf.dispose([sq, ...before]);
      report.weightSq = both.slice(0, variables.length);
      report.updateSq = both.slice(variables.length);
      const badW = report.weightSq.findIndex((s) => !Number.isFinite(s));
      if (badW >= 0)
        throw new NonFiniteError(
          'weights',
          variables[badW].name,
          `weights of ${variables[badW].name} (layer ${layerOfVariable[badW]}) are not finite after the update`,
        );
    }
    return report;
  };

  return { variables, layerOfVariable, run };
}
