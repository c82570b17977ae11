import { InputError, show } from '../core/errors.js';
import { checkView, nonNegative, type StopRule } from './rule.js';

export interface PatienceOptions {
  /** Steps (logged points) without improvement before stopping. @default 5 */
  patience?: number;
  /** An improvement must exceed this to count. @default 0 */
  minDelta?: number;
}

/** Patience with min-delta (as Keras' EarlyStopping): stop after `patience` points without an improvement > minDelta. */
export function patience(options: PatienceOptions = {}): StopRule {
  const { patience: wait = 5, minDelta = 0 } = options;
  if (!(Number.isInteger(wait) && wait >= 1)) throw new InputError(`patience: patience: must be a positive integer, got ${show(wait)}`, 'patience');
  nonNegative('patience', 'minDelta', minDelta);
  const name = `patience(${wait}, minDelta=${minDelta})`;
  return {
    name,
    decide(view) {
      checkView(view, 'patience');
      const { values, goal } = view;
      const sign = goal === 'max' ? 1 : -1;
      let best = sign * values[0]!,
        since = 0;
      for (let i = 1; i < values.length; i++) {
        if (sign * values[i]! > best + minDelta) {
          best = sign * values[i]!;
          since = 0;
        } else since++;
      }
      return { stop: since >= wait, reason: `${name}: ${since} points without improvement` };
    },
  };
}
