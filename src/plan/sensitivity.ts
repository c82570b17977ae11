import { InputError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';
import type { ScalingFit } from '../fit/result.js';
import { dataConstrainedOptimum, type RepetitionConstants } from './data-constrained.js';
import { chinchillaOptimal } from './optimal.js';

/** One assumption moved one way, and what the plan's answer becomes. */
export interface SensitivityRow {
  assumption: string;
  /** How it was moved, e.g. '-1 SE (0.026)' or 'x 2'. */
  setting: string;
  N: number;
  loss: number;
  /** (N - N at the plan's assumptions) / N there. */
  relativeN: number;
  /** loss - loss at the plan's assumptions. */
  deltaLoss: number;
}

/** The table: the plan's own answer, every row, and what could not be assessed. */
export interface Sensitivity {
  base: { N: number; loss: number };
  rows: SensitivityRow[];
  notAssessed: string[];
  note: string;
}

/**
 * Which assumption moves the plan's answer most: the compute-optimal N and loss at compute C
 * recomputed with one assumption moved at a time, the irreducible loss E and the exponents alpha
 * and beta by one standard error of the scaling fit each way, and, under a unique-token budget,
 * R_D* and R_N* halved and doubled. Rows are sorted by how far they move the loss. One at a time:
 * the fitted parameters are correlated, so moving one alone overstates what the data allow.
 */
export function planSensitivity(fit: ScalingFit, C: number, options: { uniqueTokens?: number; repetition?: RepetitionConstants } = {}): Sensitivity {
  if (fit.law !== 'chinchilla') throw new InputError(`sensitivity: needs a chinchilla fit; got law ${show(fit.law)}`, 'fit');
  const { uniqueTokens: U, repetition } = options;
  if (U !== undefined && !repetition) throw new InputError('sensitivity: uniqueTokens needs the repetition constants', 'repetition');
  const v = { A: fit.values.A!, B: fit.values.B!, E: fit.values.E!, alpha: fit.values.alpha!, beta: fit.values.beta! };
  const answer = (values: typeof v, r?: { RD: number; RN: number }) => {
    if (U === undefined) return chinchillaOptimal(values, C);
    return dataConstrainedOptimum({ ...values, RD: r?.RD ?? repetition!.RD, RN: r?.RN ?? repetition!.RN }, C, U);
  };
  const base = answer(v);
  const rows: SensitivityRow[] = [];
  const notAssessed: string[] = [];
  const add = (assumption: string, setting: string, a: { N: number; loss: number }) =>
    rows.push({ assumption, setting, N: a.N, loss: a.loss, relativeN: (a.N - base.N) / base.N, deltaLoss: a.loss - base.loss });
  const labels: Record<'E' | 'alpha' | 'beta', string> = { E: 'irreducible loss E', alpha: 'exponent of N (alpha)', beta: 'exponent of D (beta)' };
  for (const name of ['E', 'alpha', 'beta'] as const) {
    const se = fit.params.find((p) => p.name === name)?.stderr;
    if (!(se !== undefined && Number.isFinite(se) && se > 0)) {
      notAssessed.push(`${labels[name]}: the fit has no standard error for it (refit with --bootstrap)`);
      continue;
    }
    for (const sign of [-1, 1]) {
      const moved = { ...v, [name]: v[name] + sign * se };
      if (!(moved[name] > 0)) continue;
      add(labels[name], `${sign < 0 ? '-' : '+'}1 SE (${formatNumber(se, 3)})`, answer(moved));
    }
  }
  if (U !== undefined) {
    for (const [name, key] of [
      ['repeated-data decay R_D*', 'RD'],
      ['excess-parameter decay R_N*', 'RN'],
    ] as const)
      for (const factor of [0.5, 2]) add(name, `x ${factor} (${formatNumber(repetition![key] * factor, 3)})`, answer(v, { RD: repetition!.RD, RN: repetition!.RN, [key]: repetition![key] * factor }));
  } else notAssessed.push('data repetition: no unique-token budget given (--unique-tokens)');
  notAssessed.push('batch size above the critical batch: with a critical-batch fit the planner keeps the batch at or below B_crit; the loss of a larger batch is not modelled here');
  rows.sort((a, b) => Math.abs(b.deltaLoss) - Math.abs(a.deltaLoss));
  return {
    base: { N: base.N, loss: base.loss },
    rows,
    notAssessed,
    note: 'one assumption at a time, the others at the fit; the fitted parameters are correlated, so a row overstates what the data allow',
  };
}

/** The table for the plan's text report. */
export function sensitivityReport(s: Sensitivity): string {
  const table = formatTable(
    s.rows.map((r) => [
      r.assumption,
      r.setting,
      formatNumber(r.N, 3),
      `${r.relativeN >= 0 ? '+' : ''}${formatNumber(r.relativeN * 100, 3)}%`,
      formatNumber(r.loss, 4),
      `${r.deltaLoss >= 0 ? '+' : ''}${formatNumber(r.deltaLoss, 3)}`,
    ]),
    ['assumption', 'moved', 'N', 'change in N', 'loss', 'change in loss'],
  );
  return [
    `Sensitivity: what moves the answer (N = ${formatNumber(s.base.N, 3)}, loss ${formatNumber(s.base.loss, 4)}) most, largest first`,
    table,
    `  ${s.note}`,
    ...s.notAssessed.map((n) => `  not assessed: ${n}`),
  ].join('\n');
}
