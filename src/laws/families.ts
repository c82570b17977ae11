import { InputError, show } from '../core/errors.js';
import type { Inputs, Law, ParamSpec } from './law.js';

/**
 * The eleven parametric learning-curve families of Domhan, Springenberg & Hutter 2015 ("Speeding up
 * automatic hyperparameter optimization of deep neural networks by extrapolation of learning
 * curves", Table 1), as laws over `{ step }`. Each family increases with the step, as accuracy
 * does; `src/curves/normalise.ts` maps any metric (loss or perplexity included) to an increasing
 * scale before the families see it.
 *
 * Registered as `curve.pow3`, `curve.pow4`, ... so that `getLaw('curve.pow3')` works.
 */

interface FamilySpec {
  name: string;
  formula: string;
  description: string;
  params: ParamSpec[];
  /** Value at one step. */
  f(p: Float64Array, x: number): number;
  /** Writes d f / d p_j at one step into g (length params.length). */
  g(p: Float64Array, x: number, g: Float64Array): void;
}

function family(spec: FamilySpec): Law<Inputs> {
  const d = spec.params.length;
  return {
    name: `curve.${spec.name}`,
    description: spec.description,
    inputs: ['step'],
    params: spec.params,
    formula: spec.formula,
    size: (x) => x.step!.length,
    evaluate(p, x, out) {
      const step = x.step!;
      for (let i = 0; i < step.length; i++) out[i] = spec.f(p, step[i]!);
    },
    jacobian(p, x, jac) {
      const step = x.step!;
      const g = new Float64Array(d);
      for (let i = 0; i < step.length; i++) {
        spec.g(p, step[i]!, g);
        for (let j = 0; j < d; j++) jac[i * d + j] = g[j]!;
      }
    },
    validate(x) {
      const step = x.step;
      if (!step) throw new InputError(`law curve.${spec.name}: missing input column ${show('step')}`, 'step');
      for (let i = 0; i < step.length; i++) {
        if (!(step[i]! >= 1)) {
          throw new InputError(`law curve.${spec.name}: row ${i + 1}, column step: must be >= 1, got ${show(step[i])}`, 'step');
        }
      }
    },
  };
}

const free = (name: string, init: number, grid: number[], description: string): ParamSpec => ({ name, init, grid, description });
// An asymptote more than ~4 spans of the seen curve beyond it is not identified by the data (the fit
// drifts along c - a x^-alpha with alpha -> 0, c, a -> infinity); cap it in the normalised scale.
const asymptote = (name: string, description: string): ParamSpec => ({ name, init: 1, grid: ASYMPTOTE, min: -3, max: 4, description });
const positiveAsymptote = (name: string, description: string): ParamSpec => ({ name, init: 1, grid: ASYMPTOTE, min: 1e-8, max: 4, scale: 'log', description });
const positive = (name: string, init: number, grid: number[], description: string, max = Infinity): ParamSpec => ({
  name,
  init,
  grid,
  description,
  min: 1e-8,
  max,
  scale: 'log',
});

// Asymptote, start and curvature values in the normalised scale of src/curves/normalise.ts, where
// the observed part of a curve lies in [0.1, 0.9] over steps starting at 1.
const ASYMPTOTE = [0.9, 1.2, 2];
const SHAPE = [0.3, 1, 3];

export const pow3 = family({
  name: 'pow3',
  formula: 'y = c - a x^-alpha',
  description: 'power law with an asymptote',
  params: [asymptote('c', 'asymptote'), positive('a', 0.5, [0.3, 1], 'amplitude'), positive('alpha', 0.5, SHAPE, 'exponent', 20)],
  f: (p, x) => p[0]! - p[1]! * x ** -p[2]!,
  g: (p, x, g) => {
    const t = x ** -p[2]!;
    g[0] = 1;
    g[1] = -t;
    g[2] = p[1]! * t * Math.log(x);
  },
});

export const pow4 = family({
  name: 'pow4',
  formula: 'y = c - (a x + b)^-alpha',
  description: 'power law with an offset in x',
  params: [
    asymptote('c', 'asymptote'),
    positive('a', 1, [0.3, 3], 'scale of x'),
    { name: 'b', init: 1, min: 0, max: 1e3, grid: [0, 2], description: 'offset of x' },
    positive('alpha', 0.5, SHAPE, 'exponent', 20),
  ],
  f: (p, x) => p[0]! - (p[1]! * x + p[2]!) ** -p[3]!,
  g: (p, x, g) => {
    const u = p[1]! * x + p[2]!;
    const t = u ** -p[3]!;
    g[0] = 1;
    g[1] = ((p[3]! * t) / u) * x;
    g[2] = (p[3]! * t) / u;
    g[3] = t * Math.log(u);
  },
});

export const logPower = family({
  name: 'log_power',
  formula: 'y = a / (1 + (x / e^b)^c)',
  description: 'log-logistic in log x',
  params: [
    positiveAsymptote('a', 'asymptote'),
    free('b', 0, [0, 2], 'log of the midpoint step'),
    { name: 'c', init: -1, min: -20, max: -1e-8, grid: [-0.5, -1, -3], description: 'slope (negative: increasing)' },
  ],
  f: (p, x) => p[0]! / (1 + (x / Math.exp(p[1]!)) ** p[2]!),
  g: (p, x, g) => {
    const lr = Math.log(x) - p[1]!;
    const r = Math.exp(p[2]! * lr);
    const den = 1 + r;
    g[0] = 1 / den;
    g[1] = (p[0]! * r * p[2]!) / (den * den);
    g[2] = (-p[0]! * r * lr) / (den * den);
  },
});

/** Sigmoidal families α - (α - β) h(x): weibull, mmf and janoschek differ only in h. */
const sigmoidParams = (): ParamSpec[] => [
  asymptote('alpha', 'asymptote'),
  free('beta', 0, [0], 'value at x = 0'),
  positive('kappa', 0.3, [0.03, 0.3], 'rate'),
  positive('delta', 1, [0.5, 1, 2], 'shape', 20),
];

export const weibull = family({
  name: 'weibull',
  formula: 'y = alpha - (alpha - beta) exp(-(kappa x)^delta)',
  description: 'Weibull growth',
  params: sigmoidParams(),
  f: (p, x) => p[0]! - (p[0]! - p[1]!) * Math.exp(-((p[2]! * x) ** p[3]!)),
  g: (p, x, g) => {
    const u = (p[2]! * x) ** p[3]!;
    const e = Math.exp(-u);
    const diff = p[0]! - p[1]!;
    g[0] = 1 - e;
    g[1] = e;
    g[2] = (diff * e * u * p[3]!) / p[2]!;
    g[3] = diff * e * u * Math.log(p[2]! * x);
  },
});

export const mmf = family({
  name: 'mmf',
  formula: 'y = alpha - (alpha - beta) / (1 + (kappa x)^delta)',
  description: 'Morgan-Mercer-Flodin growth',
  params: sigmoidParams(),
  f: (p, x) => p[0]! - (p[0]! - p[1]!) / (1 + (p[2]! * x) ** p[3]!),
  g: (p, x, g) => {
    const u = (p[2]! * x) ** p[3]!;
    const den = 1 + u;
    const diff = p[0]! - p[1]!;
    g[0] = 1 - 1 / den;
    g[1] = 1 / den;
    g[2] = (diff * u * p[3]!) / p[2]! / (den * den);
    g[3] = (diff * u * Math.log(p[2]! * x)) / (den * den);
  },
});

export const janoschek = family({
  name: 'janoschek',
  formula: 'y = alpha - (alpha - beta) exp(-kappa x^delta)',
  description: 'Janoschek growth',
  params: sigmoidParams(),
  f: (p, x) => p[0]! - (p[0]! - p[1]!) * Math.exp(-p[2]! * x ** p[3]!),
  g: (p, x, g) => {
    const xd = x ** p[3]!;
    const e = Math.exp(-p[2]! * xd);
    const diff = p[0]! - p[1]!;
    g[0] = 1 - e;
    g[1] = e;
    g[2] = diff * e * xd;
    g[3] = diff * e * p[2]! * xd * Math.log(x);
  },
});

export const ilog2 = family({
  name: 'ilog2',
  // Domhan et al. write c - a / log(x), which is infinite at x = 1, the first step. We shift it to
  // log(x + 1) so the family is finite on every step >= 1 and keeps its shape for large x.
  formula: 'y = c - a / log(x + 1)',
  description: 'inverse logarithm',
  params: [asymptote('c', 'asymptote'), positive('a', 0.5, [0.3, 1], 'amplitude')],
  f: (p, x) => p[0]! - p[1]! / Math.log(x + 1),
  g: (p, x, g) => {
    g[0] = 1;
    g[1] = -1 / Math.log(x + 1);
  },
});

export const exp4 = family({
  name: 'exp4',
  formula: 'y = c - exp(-a x^alpha + b)',
  description: 'stretched exponential',
  params: [asymptote('c', 'asymptote'), positive('a', 0.3, [0.03, 0.3], 'rate'), positive('alpha', 1, [0.3, 1], 'exponent', 20), free('b', 0, [-1, 0], 'log amplitude')],
  f: (p, x) => p[0]! - Math.exp(-p[1]! * x ** p[2]! + p[3]!),
  g: (p, x, g) => {
    const xa = x ** p[2]!;
    const e = Math.exp(-p[1]! * xa + p[3]!);
    g[0] = 1;
    g[1] = e * xa;
    g[2] = e * p[1]! * xa * Math.log(x);
    g[3] = -e;
  },
});

export const vap = family({
  name: 'vap',
  formula: 'y = exp(a + b / x + c log x)',
  description: 'vapour pressure',
  params: [
    { name: 'a', init: 0, min: -20, max: 20, grid: [-0.5, 0], description: 'log scale' },
    { name: 'b', init: -1, min: -50, max: 50, grid: [-1, -0.1], description: 'inverse-step term' },
    { name: 'c', init: 0, min: -5, max: 5, grid: [0, 0.1], description: 'log-step term' },
  ],
  f: (p, x) => Math.exp(p[0]! + p[1]! / x + p[2]! * Math.log(x)),
  g: (p, x, g) => {
    const v = Math.exp(p[0]! + p[1]! / x + p[2]! * Math.log(x));
    g[0] = v;
    g[1] = v / x;
    g[2] = v * Math.log(x);
  },
});

export const loglogLinear = family({
  name: 'loglog_linear',
  formula: 'y = log(a log x + b)',
  description: 'log of a linear function of log x',
  params: [positive('a', 0.5, [0.1, 1], 'slope'), positive('b', 1.5, [1.1, 2], 'offset')],
  f: (p, x) => Math.log(p[0]! * Math.log(x) + p[1]!),
  g: (p, x, g) => {
    const u = p[0]! * Math.log(x) + p[1]!;
    g[0] = Math.log(x) / u;
    g[1] = 1 / u;
  },
});

export const hill3 = family({
  name: 'hill3',
  formula: 'y = ymax x^eta / (kappa^eta + x^eta)',
  description: 'Hill equation',
  params: [positiveAsymptote('ymax', 'asymptote'), positive('eta', 1, [0.5, 1, 2], 'Hill coefficient', 20), positive('kappa', 2, [1, 5], 'half-saturation step')],
  f: (p, x) => {
    const xe = x ** p[1]!;
    return (p[0]! * xe) / (p[2]! ** p[1]! + xe);
  },
  g: (p, x, g) => {
    const xe = x ** p[1]!;
    const ke = p[2]! ** p[1]!;
    const den = ke + xe;
    g[0] = xe / den;
    // d/d eta of xe / (ke + xe) = xe ke (log x - log kappa) / den^2
    g[1] = (p[0]! * xe * ke * (Math.log(x) - Math.log(p[2]!))) / (den * den);
    g[2] = (-p[0]! * xe * p[1]! * ke) / p[2]! / (den * den);
  },
});

/**
 * Not one of Domhan et al.'s families: a constant, the curve that has stopped improving. In an
 * ensemble it is the model a plateau selects (it is the last-seen-value baseline, smoothed), so a
 * flat tail after a learning-rate drop is not extrapolated with a family's residual slope.
 */
export const flat = family({
  name: 'flat',
  formula: 'y = c',
  description: 'plateau (constant)',
  params: [free('c', 0.9, [0.5, 0.9], 'level')],
  f: (p) => p[0]!,
  g: (_p, _x, g) => {
    g[0] = 1;
  },
});

/** All eleven, in the order of Domhan et al. 2015, Table 1. */
export const curveFamilies: readonly Law<Inputs>[] = [pow3, pow4, logPower, weibull, mmf, janoschek, ilog2, exp4, vap, loglogLinear, hill3];

/** The family called `name` (without the `curve.` prefix). */
export function curveFamily(name: string): Law<Inputs> {
  const law = [...curveFamilies, flat].find((f) => f.name === `curve.${name}` || f.name === name);
  if (!law) {
    throw new InputError(`unknown curve family: ${show(name)}; known: ${[...curveFamilies, flat].map((f) => f.name.slice(6)).join(', ')}`, 'families');
  }
  return law;
}
