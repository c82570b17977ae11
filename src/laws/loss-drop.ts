import { InputError } from '../core/errors.js';
import type { CurvePoints, PreparedCurve } from './curve-points.js';

/**
 * The multi-power law's loss-drop sum (Luo et al. 2025, eq. 5), reduced to a short list of terms
 * per logged step t:
 *
 *   LD(t) = sum_{k=1..t} (lr[k-1] - lr[k]) G(lr[k]^-gamma (S1(t) - S1(k-1)))
 *         ~ sum_blocks W_b G(lrbar_b^-gamma d_b)
 *
 * Only steps where the rate changes contribute. Consecutive changes of the same sign are merged into
 * a block when the block's width in S1 is at most `tolerance` times its distance d from t and its
 * rates lie within a factor exp(2 tolerance); a block keeps its total drop W (exact, the sum
 * telescopes) and its drop-weighted mean S1 and log rate (midpoint rule, error O(tolerance^2):
 * at 0.03, within 4e-7 of the exact loss on Luo et al.'s curves). Blocks widen geometrically with distance, so a step costs
 * O(log(S1(t) / lr) / tolerance) terms instead of O(#changes), and the terms depend only on the
 * schedule, not on the law's parameters: they are built once per curve and step.
 * With tolerance 0 every change is its own term and the sum is exact.
 */
export interface LossDropTerms {
  /** Terms of row i are start[i] .. start[i + 1] - 1. */
  readonly start: Int32Array;
  /** Total rate drop of the block, sum of lr[k-1] - lr[k] (negative during warmup). */
  readonly W: Float64Array;
  /** S1(t) minus the block's mean S1(k - 1). */
  readonly d: Float64Array;
  /** The block's drop-weighted mean of log lr[k]. */
  readonly lnlr: Float64Array;
}

/** Per-curve tables over its list of changes. */
interface ChangeTables {
  /** First index (into `changes`) of the run of same-sign changes that index j belongs to. */
  runStart: Int32Array;
  /** Cumulative drop-weighted S1(k - 1) and log lr[k]. */
  QP: Float64Array;
  QL: Float64Array;
  /** log lr[changes[j]], to bound the spread of rates inside a block. */
  lnRate: Float64Array;
  /** S1(changes[j] - 1), read by the block search without the indirection. */
  before: Float64Array;
}

const tables = new WeakMap<PreparedCurve, ChangeTables>();
type StepTerms = { W: Float64Array; d: Float64Array; lnlr: Float64Array };
const perStep = new WeakMap<PreparedCurve, Map<string, Map<number, StepTerms>>>();
/** Scratch space for one step's terms, grown as needed. */
let scratch = { W: new Float64Array(1024), d: new Float64Array(1024), lnlr: new Float64Array(1024) };
const perPoints = new WeakMap<CurvePoints, Map<number, LossDropTerms>>();

function changeTables(curve: PreparedCurve): ChangeTables {
  let t = tables.get(curve);
  if (t) return t;
  const { lr, prefix, changes } = curve;
  const n = changes.length;
  const runStart = new Int32Array(n);
  const QP = new Float64Array(n);
  const QL = new Float64Array(n);
  const lnRate = new Float64Array(n);
  const before = new Float64Array(n);
  let qp = 0;
  let ql = 0;
  for (let j = 0; j < n; j++) {
    const k = changes[j]!;
    const drop = lr[k - 1]! - lr[k]!;
    const previous = j > 0 ? changes[j - 1]! : -1;
    const sameSign = j > 0 && lr[previous - 1]! - lr[previous]! > 0 === drop > 0;
    runStart[j] = sameSign ? runStart[j - 1]! : j;
    qp += drop * prefix[k - 1]!;
    ql += drop * Math.log(lr[k]!);
    lnRate[j] = Math.log(lr[k]!);
    before[j] = prefix[k - 1]!;
    QP[j] = qp;
    QL[j] = ql;
  }
  t = { runStart, QP, QL, lnRate, before };
  tables.set(curve, t);
  return t;
}

/** Terms of LD at step t of a curve. Throws an InputError when a changed-to rate is not positive. */
function stepTerms(curve: PreparedCurve, t: number, tolerance: number, increases: boolean): StepTerms {
  let byOptions = perStep.get(curve);
  if (!byOptions) perStep.set(curve, (byOptions = new Map()));
  const optionKey = `${tolerance}:${increases}`;
  let cache = byOptions.get(optionKey);
  if (!cache) byOptions.set(optionKey, (cache = new Map()));
  const rateTolerance = 2 * tolerance;
  const hit = cache.get(t);
  if (hit) return hit;

  const { lr, prefix: P, changes } = curve;
  const { runStart, QP, QL, lnRate, before } = changeTables(curve);
  // Last change at or before t.
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  const Pt = P[t]!;
  for (let j = lo - 1; j >= 0;) {
    const k = changes[j]!;
    if (!(lr[k]! > 0)) {
      throw new InputError(`${curve.name}: the rate at step ${k} is ${lr[k]}; the multi-power law raises it to the power -gamma, so every rate it changes to must be positive`, 'schedule');
    }
    let i = j;
    if (tolerance > 0) {
      // The block reaches back while its width in S1 stays within tolerance x its distance and its
      // rates within a factor exp(2 tolerance) (lr is monotone within a run); both tests hold on a
      // suffix of [runStart, j], found by galloping (blocks near t are short) then bisection.
      const limit = P[k - 1]! - tolerance * (Pt - P[k - 1]!);
      const lnk = lnRate[j]!;
      const rs = runStart[j]!;
      let b = j;
      let step = 1;
      for (;;) {
        const m = b - step;
        if (m < rs || !(before[m]! >= limit && Math.abs(lnRate[m]! - lnk) <= rateTolerance)) break;
        b = m;
        step *= 2;
      }
      let a = b - step >= rs ? b - step + 1 : rs;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (before[mid]! >= limit && Math.abs(lnRate[mid]! - lnk) <= rateTolerance) b = mid;
        else a = mid + 1;
      }
      i = a;
    }
    if (!increases && lr[k - 1]! < lr[k]!) {
      // A run of rising rates (a warmup): skipped whole.
      j = runStart[j]! - 1;
      continue;
    }
    if (n === scratch.W.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      scratch = { W: grow(scratch.W), d: grow(scratch.d), lnlr: grow(scratch.lnlr) };
    }
    if (i === j) {
      scratch.W[n] = lr[k - 1]! - lr[k]!;
      scratch.d[n] = Pt - P[k - 1]!;
      scratch.lnlr[n] = lnRate[j]!;
    } else {
      const first = changes[i]!;
      const w = lr[first - 1]! - lr[k]!;
      const qp = QP[j]! - (i > 0 ? QP[i - 1]! : 0);
      const ql = QL[j]! - (i > 0 ? QL[i - 1]! : 0);
      scratch.W[n] = w;
      scratch.d[n] = Pt - qp / w;
      scratch.lnlr[n] = ql / w;
    }
    n++;
    j = i - 1;
  }
  const terms = { W: scratch.W.slice(0, n), d: scratch.d.slice(0, n), lnlr: scratch.lnlr.slice(0, n) };
  cache.set(t, terms);
  return terms;
}

/**
 * The loss-drop terms of every row, flattened; cached per rows and options. With `increases` false,
 * runs of rising rates (warmups) are left out of the sum.
 */
export function lossDropTerms(x: CurvePoints, tolerance: number, increases = true): LossDropTerms {
  let cache = perPoints.get(x);
  if (!cache) perPoints.set(x, (cache = new Map()));
  const cacheKey = increases ? tolerance : -1 - tolerance;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const parts = [];
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const part = stepTerms(x.curves[x.curve[i]!]!, x.step[i]!, tolerance, increases);
    parts.push(part);
    total += part.W.length;
  }
  const start = new Int32Array(x.length + 1);
  const W = new Float64Array(total);
  const d = new Float64Array(total);
  const lnlr = new Float64Array(total);
  let o = 0;
  parts.forEach((part, i) => {
    start[i] = o;
    W.set(part.W, o);
    d.set(part.d, o);
    lnlr.set(part.lnlr, o);
    o += part.W.length;
  });
  start[x.length] = o;
  const terms = { start, W, d, lnlr };
  cache.set(cacheKey, terms);
  return terms;
}
