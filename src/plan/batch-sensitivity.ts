import { formatNumber } from '../core/format.js';
import type { ScalingFit } from '../fit/result.js';
import type { PlanRecord } from './planner.js';
import type { Sensitivity, SensitivityRow } from './sensitivity.js';

/**
 * Rows of the sensitivity table for a batch above the critical batch: the plan's loss when its
 * tokens are spent at `factors` x B_crit instead of the planned batch. McCandlish et al. 2018 (eq.
 * 2.11, B_crit taken as B_noise): reaching a loss at batch B takes E = E_min (1 + B / B_crit)
 * examples, so at fixed tokens D a batch B is worth D (1 + B0 / B_crit) / (1 + B / B_crit) tokens
 * at the planned batch B0; the loss is the scaling law's at the plan's N and those tokens. Empty
 * where the plan has no critical batch (no critical-batch fit).
 */
export function batchSensitivityRows(plan: PlanRecord, scaling: ScalingFit, factors: readonly number[] = [2, 4]): SensitivityRow[] {
  const critical = plan.batch?.critical?.value;
  if (!(critical !== undefined && critical > 0) || !plan.batch) return [];
  const N = plan.model.N.value,
    D = plan.model.D.value;
  const base = scaling.predict({ N, D })[0]!;
  const planned = plan.batch.recommended / critical;
  return factors.map((f) => {
    const loss = scaling.predict({ N, D: (D * (1 + planned)) / (1 + f) })[0]!;
    return { assumption: 'batch size above the critical batch', setting: `${f} x B_crit (${formatNumber(f * critical, 3)} tokens)`, N, loss, relativeN: 0, deltaLoss: loss - base };
  });
}

/**
 * The sensitivity table with the batch rows of `batchSensitivityRows` joined in (sorted by how far
 * each row moves the loss, the batch no longer "not assessed"); unchanged where the plan has no
 * critical batch or the rows are already there.
 */
export function withBatchSensitivity(s: Sensitivity, plan: PlanRecord, scaling: ScalingFit): Sensitivity {
  const label = 'batch size above the critical batch';
  if (s.rows.some((r) => r.assumption === label)) return s;
  const batch = batchSensitivityRows(plan, scaling);
  if (batch.length === 0) return s;
  return {
    ...s,
    rows: [...s.rows, ...batch].sort((a, b) => Math.abs(b.deltaLoss) - Math.abs(a.deltaLoss)),
    notAssessed: s.notAssessed.filter((n) => !n.startsWith(label)),
  };
}
