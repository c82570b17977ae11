import { InputError, show } from '../core/errors.js';
import { rng, type Rng } from '../core/rng.js';

/**
 * Teacher-student regression: y = teacher(x) + noise, with x ~ N(0, I), the teacher a fixed random
 * tanh network and noise ~ N(0, sigma^2). The Bayes predictor is the teacher itself, so the
 * irreducible mean squared error is exactly sigma^2.
 */
export interface TeacherOptions {
  /** Input dimension. @default 16 */
  inputDim?: number;
  /** Teacher hidden width. @default 32 */
  teacherWidth?: number;
  /** Teacher hidden layers. @default 2 */
  teacherDepth?: number;
  /** Noise standard deviation sigma. @default 0.1 */
  noise?: number;
  /** Seed of the teacher's weights. @default 0 */
  seed?: number;
}

export interface TeacherTask {
  inputDim: number;
  outputDim: 1;
  /** Irreducible mean squared error, sigma^2. */
  floor: number;
  /** `count` samples: x row-major [count, inputDim], y [count]. */
  sample(random: Rng, count: number): { x: Float32Array; y: Float32Array };
}

export function teacherTask(options: TeacherOptions = {}): TeacherTask {
  const { inputDim = 16, teacherWidth = 32, teacherDepth = 2, noise = 0.1, seed = 0 } = options;
  for (const [name, v] of [
    ['inputDim', inputDim],
    ['teacherWidth', teacherWidth],
    ['teacherDepth', teacherDepth],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InputError(`data.${name}: expected a positive integer, got ${show(v)}`, `data.${name}`);
  }
  if (!(Number.isFinite(noise) && noise >= 0)) throw new InputError(`data.noise: expected a number >= 0, got ${show(noise)}`, 'data.noise');
  const random = rng(seed);
  const layers: { w: Float64Array; fanIn: number; fanOut: number }[] = [];
  let fanIn = inputDim;
  for (let l = 0; l <= teacherDepth; l++) {
    const fanOut = l === teacherDepth ? 1 : teacherWidth;
    // Variance 1 / fan_in keeps tanh units in their non-linear range at every layer.
    const w = Float64Array.from({ length: fanIn * fanOut }, () => random.normal() / Math.sqrt(fanIn));
    layers.push({ w, fanIn, fanOut });
    fanIn = fanOut;
  }
  const forward = (x: Float64Array): number => {
    let h = x;
    for (let l = 0; l < layers.length; l++) {
      const { w, fanIn: n, fanOut: m } = layers[l]!;
      const out = new Float64Array(m);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j]! += h[i]! * w[i * m + j]!;
      if (l < layers.length - 1) for (let j = 0; j < m; j++) out[j] = Math.tanh(out[j]!);
      h = out;
    }
    return h[0]!;
  };
  return {
    inputDim,
    outputDim: 1,
    floor: noise * noise,
    sample(random, count) {
      const x = new Float32Array(count * inputDim);
      const y = new Float32Array(count);
      const row = new Float64Array(inputDim);
      for (let i = 0; i < count; i++) {
        for (let j = 0; j < inputDim; j++) x[i * inputDim + j] = row[j] = random.normal();
        y[i] = forward(row) + noise * random.normal();
      }
      return { x, y };
    },
  };
}
