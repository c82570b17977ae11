import { better, bestOf, checkView, type StopRule } from './rule.js';

/**
 * Median stopping (Golovin et al. 2017, Google Vizier): stop when the run's best value so far is
 * worse than the median of the other runs' running averages at the same step.
 */
export function median(options: { minPoints?: number; minPeers?: number } = {}): StopRule {
  const { minPoints = 3, minPeers = 3 } = options;
  const name = 'median';
  return {
    name,
    decide(view) {
      checkView(view, 'median');
      const t = view.values.length;
      const peers = (view.peers ?? []).filter((p) => p.values.length >= t);
      if (t < minPoints || peers.length < minPeers) return { stop: false, reason: `${name}: too few peers or points` };
      const means = peers.map((p) => p.values.subarray(0, t).reduce((a, b) => a + b, 0) / t).sort((a, b) => a - b);
      const mid = means.length % 2 ? means[(means.length - 1) / 2]! : (means[means.length / 2 - 1]! + means[means.length / 2]!) / 2;
      const best = bestOf(view.goal, view.values);
      return { stop: better(view.goal, mid, best), reason: `${name}: best ${best} vs median of running means ${mid}` };
    },
  };
}
