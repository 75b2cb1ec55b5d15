/**
 * tfjs' AdamOptimizer whose update runs as one native kernel per variable when the native kernels are
 * active (train/backend/native/adam-kernel.ts), and as the stock update otherwise. Same slots, names and
 * getWeights/setWeights, so checkpoints and learning-rate changes are unaffected.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE, adamKernelReady, type AdamUpdateAttrs } from '../backend/native/adam-kernel.js';

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The stock optimizer's private state (plain fields in tfjs-core). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
}

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    if (!adamKernelReady()) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    tf.tidy(() => {
      const [acc1, acc2] = [s.accBeta1.dataSync()[0], s.accBeta2.dataSync()[0]];
      const attrs: AdamUpdateAttrs = {
        beta1: s.beta1,
        beta2: s.beta2,
        epsilon: s.epsilon,
        learningRate: s.learningRate,
        oneMinusAccBeta1: 1 - acc1,
        oneMinusAccBeta2: 1 - acc2,
      };
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        s.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        s.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        const [w2, m2, v2] = tf
          .engine()
          .runKernel(ADAM_UPDATE, { value, gradient, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m2);
        v.assign(v2);
        value.assign(w2);
      });
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }
}
