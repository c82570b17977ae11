import type { Law } from '../laws/law.js';
import { objective, type ResidualSpace } from './objective.js';
import type { FitCorrelation, FitParam, FitStatistics, FitWarning } from './result.js';

export interface IdentifiabilityOptions {
  /** @default 'log' */
  space?: ResidualSpace;
  /** Row weights of the objective. @default all 1 */
  weights?: Float64Array;
  fixed?: Readonly<Record<string, number>>;
  bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Free parameters that ended on a bound: left out (the bound, not the data, set them). @default none */
  atBound?: readonly string[];
  /**
   * A direction counts as flat when its eigenvalue of the Fisher matrix, scaled to a unit diagonal,
   * is below this. @default 1e-10
   */
  tolerance?: number;
}

export interface Identifiability {
  /**
   * Asymptotic standard errors (natural units, law order; NaN for fixed and at-bound parameters):
   * s^2 (J^T W J)^-1 with J the Jacobian of the residuals at the optimum and s^2 = sum w r^2 / (n - k).
   */
  readonly stderr: Float64Array;
  /** Eigenvalues of the Fisher matrix J^T W J scaled to a unit diagonal, ascending. */
  readonly eigenvalues: Float64Array;
  readonly warnings: FitWarning[];
  /** Residual statistics at `p` (plain residuals in the objective's space, weighted). */
  readonly statistics: FitStatistics;
  /** Correlations of the free, identified parameters from the same covariance, every pair. */
  readonly correlations: FitCorrelation[];
}

/**
 * Which parameters the data identify, at an optimum `p` (natural units): the Gauss-Newton Fisher
 * matrix J^T W J of the residuals (log or linear, as the objective), in the optimiser's coordinates
 * (log p for log-scaled parameters). A parameter the residuals do not depend on, a direction whose
 * scaled eigenvalue is below `tolerance`, or a standard error over 100 times the value gets a
 * 'not-identified' warning naming the parameter (for a flat direction, its largest component).
 * The Jacobian is the law's own where it has one, central differences otherwise.
 */
export function identifiability<X>(law: Law<X>, x: X, y: Float64Array, p: Float64Array, options: IdentifiabilityOptions = {}): Identifiability {
  const { space = 'log', weights, fixed = {}, bounds = {}, atBound = [], tolerance = 1e-10 } = options;
  const obj = objective(law, x, y, { space, fixed, bounds });
  const np = law.params.length;
  const rows = y.length;
  const used = obj.free.filter((j) => !atBound.includes(law.params[j]!.name));
  const k = used.length;
  const stderr = new Float64Array(np).fill(NaN);
  const empty: FitStatistics = { points: rows, free: 0, dof: rows, rss: NaN, rmse: NaN, maxAbsResidual: NaN, aic: NaN, bic: NaN, space };
  if (k === 0) return { stderr, eigenvalues: new Float64Array(0), warnings: [], statistics: empty, correlations: [] };
  const isLog = law.params.map((s) => s.scale === 'log');

  // J[i][c] = d r_i / d theta_c, theta = log p for log-scaled parameters.
  const pred = new Float64Array(rows);
  const J = new Float64Array(rows * k);
  if (law.valueAndJacobian || law.jacobian) {
    const jac = new Float64Array(rows * np);
    if (law.valueAndJacobian) law.valueAndJacobian(p, x, pred, jac);
    else {
      law.evaluate(p, x, pred);
      law.jacobian!(p, x, jac);
    }
    for (let i = 0; i < rows; i++) {
      const scale = space === 'log' ? 1 / pred[i]! : 1;
      used.forEach((j, c) => {
        J[i * k + c] = scale * jac[i * np + j]! * (isLog[j] ? p[j]! : 1);
      });
    }
  } else {
    law.evaluate(p, x, pred);
    const up = new Float64Array(rows),
      down = new Float64Array(rows),
      q = Float64Array.from(p);
    used.forEach((j, c) => {
      const t = isLog[j] ? Math.log(p[j]!) : p[j]!;
      const h = 1e-6 * Math.max(1, Math.abs(t));
      const at = (v: number) => (isLog[j] ? Math.exp(v) : v);
      q[j] = at(t + h);
      law.evaluate(q, x, up);
      q[j] = at(t - h);
      law.evaluate(q, x, down);
      q[j] = p[j]!;
      for (let i = 0; i < rows; i++) {
        const d = space === 'log' ? Math.log(up[i]!) - Math.log(down[i]!) : up[i]! - down[i]!;
        J[i * k + c] = d / (2 * h);
      }
    });
  }
  let rss = 0;
  let maxAbsResidual = 0;
  const F = new Float64Array(k * k);
  for (let i = 0; i < rows; i++) {
    const w = weights ? weights[i]! : 1;
    const r = space === 'log' ? Math.log(pred[i]!) - Math.log(y[i]!) : pred[i]! - y[i]!;
    rss += w * r * r;
    maxAbsResidual = Math.max(maxAbsResidual, Math.abs(r));
    for (let a = 0; a < k; a++) {
      const ja = J[i * k + a]!;
      if (ja === 0) continue;
      for (let b = a; b < k; b++) F[a * k + b]! += w * ja * J[i * k + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) F[a * k + b] = F[b * k + a]!;

  const warnings: FitWarning[] = [];
  const names = used.map((j) => law.params[j]!.name);
  const flagged = new Set<string>();
  const flag = (c: number, message: string) => {
    if (flagged.has(names[c]!)) return;
    flagged.add(names[c]!);
    warnings.push({ code: 'not-identified', parameter: names[c]!, message: `${names[c]} not identified: ${message}` });
  };
  // Scale to a unit diagonal so the eigenvalues do not depend on the parameters' units.
  const d = Float64Array.from({ length: k }, (_, c) => Math.sqrt(F[c * k + c]!));
  const live = Array.from({ length: k }, (_, c) => c).filter((c) => d[c]! > 0 && Number.isFinite(d[c]!));
  for (let c = 0; c < k; c++) if (!live.includes(c)) flag(c, 'the fitted values do not depend on it');
  const m = live.length;
  const S = new Float64Array(m * m);
  live.forEach((a, u) =>
    live.forEach((b, v) => {
      S[u * m + v] = F[a * k + b]! / (d[a]! * d[b]!);
    }),
  );
  const { values: eigenvalues, vectors } = symmetricEigen(S, m);
  const dof = Math.max(1, rows - k);
  const s2 = rss / dof;
  for (let e = 0; e < m; e++) {
    if (eigenvalues[e]! >= tolerance) continue;
    let top = 0;
    for (let u = 1; u < m; u++) if (Math.abs(vectors[u * m + e]!) > Math.abs(vectors[top * m + e]!)) top = u;
    const involved = live.filter((_, u) => Math.abs(vectors[u * m + e]!) > 0.1).map((c) => names[c]);
    flag(live[top]!, `the data leave a direction of ${involved.join(', ')} flat (scaled Fisher eigenvalue ${eigenvalues[e]!.toExponential(2)})`);
  }
  // Standard errors from the pseudo-inverse over the directions that are not flat.
  live.forEach((c, u) => {
    let v = 0;
    let infinite = false;
    for (let e = 0; e < m; e++) {
      const comp = vectors[u * m + e]!;
      if (eigenvalues[e]! < tolerance) {
        if (Math.abs(comp) > 1e-6) infinite = true;
        continue;
      }
      v += (comp * comp) / eigenvalues[e]!;
    }
    const j = used[c]!;
    const seTheta = infinite ? Infinity : Math.sqrt((s2 * v) / (d[c]! * d[c]!));
    const se = isLog[j] ? p[j]! * seTheta : seTheta;
    stderr[j] = se;
    if (Number.isFinite(se) && p[j] !== 0 && se > 100 * Math.abs(p[j]!)) {
      flag(c, `its standard error from the residuals' Jacobian, ${se.toPrecision(3)}, is over 100 times its value ${p[j]!.toPrecision(4)}`);
    }
  });
  used.forEach((j, c) => {
    if (!live.includes(c)) stderr[j] = Infinity;
  });
  // Correlations from the same pseudo-inverse: C_ab = sum_e v_ae v_be / lambda_e over the directions
  // that are not flat (the scaling by d and s^2 cancels in a correlation).
  const cov = (u: number, v: number) => {
    let c = 0;
    for (let e = 0; e < m; e++) if (eigenvalues[e]! >= tolerance) c += (vectors[u * m + e]! * vectors[v * m + e]!) / eigenvalues[e]!;
    return c;
  };
  const correlations: FitCorrelation[] = [];
  for (let u = 0; u < m; u++) {
    for (let v = u + 1; v < m; v++) {
      const r = cov(u, v) / Math.sqrt(cov(u, u) * cov(v, v));
      if (Number.isFinite(r) && Number.isFinite(stderr[used[live[u]!]!]!) && Number.isFinite(stderr[used[live[v]!]!]!)) {
        correlations.push({ a: names[live[u]!]!, b: names[live[v]!]!, r: Math.max(-1, Math.min(1, r)) });
      }
    }
  }
  // lmfit's definitions: chi-square = the weighted sum of squared residuals, AIC = n ln(chi2 / n) + 2k,
  // BIC = n ln(chi2 / n) + k ln n (Newville et al., lmfit "Akaike and Bayesian Information Criteria").
  const n = rows;
  const statistics: FitStatistics = {
    points: n,
    free: k,
    dof: n - k,
    rss,
    rmse: Math.sqrt(rss / n),
    maxAbsResidual,
    aic: n * Math.log(rss / n) + 2 * k,
    bic: n * Math.log(rss / n) + k * Math.log(n),
    space,
  };
  return { stderr, eigenvalues, warnings, statistics, correlations };
}

/**
 * `params` with the asymptotic standard errors of `identifiability` beside them (`covarianceStderr`);
 * parameters it gives none for (NaN: fixed, on a bound) are left as they are.
 */
export function withCovarianceStderr(params: readonly FitParam[], stderr: Float64Array): FitParam[] {
  return params.map((q, j) => (Number.isNaN(stderr[j]!) ? q : { ...q, covarianceStderr: stderr[j]! }));
}

/** The 'at-bound' warning of a parameter. */
export function atBoundWarning(p: FitParam): FitWarning {
  const side = Math.abs(p.value - p.min) <= Math.abs(p.value - p.max) ? `lower bound ${p.min}` : `upper bound ${p.max}`;
  return { code: 'at-bound', parameter: p.name, message: `${p.name} ended on its ${side}: the bound, not the data, set it` };
}

/** Eigenvalues (ascending) and eigenvectors (columns of `vectors`) of a symmetric n x n matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = a[r * n + p]!,
            arq = a[r * n + q]!;
          a[r * n + p] = c * arp - s * arq;
          a[r * n + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = a[p * n + r]!,
            aqr = a[q * n + r]!;
          a[p * n + r] = c * apr - s * aqr;
          a[q * n + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < n; r++) {
          const vrp = v[r * n + p]!,
            vrq = v[r * n + q]!;
          v[r * n + p] = c * vrp - s * vrq;
          v[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i]! - a[j * n + j]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++)
    order.forEach((i, e) => {
      vectors[r * n + e] = v[r * n + i]!;
    });
  return { values, vectors };
}
