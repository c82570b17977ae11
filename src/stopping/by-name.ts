import { InputError, show } from '../core/errors.js';
import type { ExtrapolateOptions } from '../extrapolation/extrapolate.js';
import type { StopRule } from './rule.js';
import { asha, gl, median, patience, pq, predictive } from './rules.js';
import { improvementPerCompute, overfitting } from './single-run.js';

/** Options a rule can take by name (the CLI's flags); each rule reads the ones it knows. */
export interface RuleOptions {
  delta?: number;
  patience?: number;
  minDelta?: number;
  alpha?: number;
  strip?: number;
  eta?: number;
  minPoints?: number;
  /** asha: points before the first rung (its grace period); takes precedence over minPoints. @default derived from the horizon */
  grace?: number;
  margin?: number;
  /** improvement: predicted gain per unit of compute below which to stop (required). */
  threshold?: number;
  /** predictive: how the final value is predicted ('fast' by default; 'ensemble', its weighting, ...). */
  extrapolate?: Partial<ExtrapolateOptions>;
}

const makers: Record<string, (o: RuleOptions) => StopRule> = {
  predictive: (o) => predictive({ delta: o.delta, minPoints: o.minPoints, extrapolate: o.extrapolate }),
  patience: (o) => patience({ patience: o.patience, minDelta: o.minDelta }),
  gl: (o) => gl({ alpha: o.alpha }),
  pq: (o) => pq({ alpha: o.alpha, strip: o.strip }),
  median: (o) => median({ minPoints: o.minPoints }),
  asha: (o) => asha({ minPoints: o.grace ?? o.minPoints, eta: o.eta }),
  overfitting: (o) => overfitting({ margin: o.margin }),
  improvement: (o) => {
    if (o.threshold === undefined) throw new InputError('improvement: needs a threshold (predicted gain per unit of compute)', 'threshold');
    return improvementPerCompute({ threshold: o.threshold });
  },
};

/** Names `stopRule` knows. */
export const RULE_NAMES = Object.keys(makers);

/**
 * A rule by name with options (undefined options take the rule's defaults).
 *
 * @example stopRule('predictive', { delta: 0.05 })
 */
export function stopRule(name: string, options: RuleOptions = {}): StopRule {
  const make = makers[name];
  if (!make) throw new InputError(`unknown rule: ${show(name)}; known rules: ${RULE_NAMES.join(', ')}`, 'rule');
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as RuleOptions;
  return make(defined);
}
