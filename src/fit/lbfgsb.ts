import { InputError, show } from '../core/errors.js';

/**
 * Bound-constrained limited-memory BFGS (L-BFGS-B) of Byrd, Lu, Nocedal and Zhu (1995), with the
 * subspace-step projection of Morales and Nocedal (2011), as in scipy's L-BFGS-B 3.0:
 *
 * 1. the generalized Cauchy point along the projected steepest-descent path (Byrd et al. 1995, §4,
 *    Algorithm CP), using the compact form B = theta I - W M W^T (Byrd, Nocedal, Schnabel 1994);
 * 2. direct primal subspace minimisation over the variables free at the Cauchy point (§5.1), through
 *    the Sherman-Morrison-Woodbury form of the reduced inverse Hessian;
 * 3. a Moré-Thuente line search (MINPACK-2 dcsrch/dcstep) with ftol 1e-3, gtol 0.9, xtol 0.1.
 *
 * Stopping follows scipy: the projected gradient's infinity norm <= `pgtol`, or a relative reduction
 * (f_old - f) / max(|f_old|, |f|, 1) <= `factr` * machine epsilon.
 */

/** Objective and gradient: writes the gradient into `grad` and returns the value. */
export type ValueAndGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsbOptions {
  /** Lower bounds, one per variable (-Infinity for none). @default all -Infinity */
  lower?: ArrayLike<number>;
  /** Upper bounds, one per variable (Infinity for none). @default all Infinity */
  upper?: ArrayLike<number>;
  /** Number of correction pairs kept (scipy's `maxcor`). @default 10 */
  memory?: number;
  /** Relative reduction tolerance in units of machine epsilon (scipy's `factr`; ftol = factr * eps). @default 1e7 */
  factr?: number;
  /** Projected-gradient tolerance, infinity norm (scipy's `pgtol` / `gtol`). @default 1e-5 */
  pgtol?: number;
  /** Maximum iterations. @default 15000 */
  maxIterations?: number;
  /** Maximum objective evaluations. @default 15000 */
  maxEvaluations?: number;
  /** Maximum evaluations within one line search (scipy's `maxls`). @default 20 */
  maxLineSearch?: number;
}

export type LbfgsbStatus = 'gradient' | 'reduction' | 'max-iterations' | 'max-evaluations' | 'line-search' | 'non-finite';

export interface LbfgsbResult {
  x: Float64Array;
  f: number;
  grad: Float64Array;
  /** Infinity norm of the projected gradient at `x`. */
  projectedGradient: number;
  iterations: number;
  evaluations: number;
  /** True when a convergence test ('gradient' or 'reduction') stopped the run. */
  converged: boolean;
  status: LbfgsbStatus;
  message: string;
}

const EPS = 2.220446049250313e-16;

const MESSAGES: Record<LbfgsbStatus, string> = {
  gradient: 'converged: norm of projected gradient <= pgtol',
  reduction: 'converged: relative reduction of f <= factr * epsmch',
  'max-iterations': 'stopped: iteration limit reached',
  'max-evaluations': 'stopped: evaluation limit reached',
  'line-search': 'stopped: line search cannot make progress (abnormal termination)',
  'non-finite': 'stopped: the objective or its gradient is not finite',
};

/**
 * Minimises `fg` from `x0` within the box [lower, upper].
 *
 * @example lbfgsb((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, [0], { upper: [2] }) // x = [2]
 */
export function lbfgsb(fg: ValueAndGradient, x0: ArrayLike<number>, options: LbfgsbOptions = {}): LbfgsbResult {
  const n = x0.length;
  const { memory = 10, factr = 1e7, pgtol = 1e-5, maxIterations = 15000, maxEvaluations = 15000, maxLineSearch = 20 } = options;
  const lower = boundArray(options.lower, n, -Infinity, 'lower');
  const upper = boundArray(options.upper, n, Infinity, 'upper');
  for (let i = 0; i < n; i++) {
    if (lower[i]! > upper[i]!) throw new InputError(`bounds of variable ${i}: min > max: [${show(lower[i])}, ${show(upper[i])}]`, 'bounds');
    if (!Number.isFinite(x0[i]!)) throw new InputError(`start, variable ${i}: not a finite number: ${show(x0[i])}`, 'x0');
  }
  if (!(Number.isInteger(memory) && memory >= 1)) throw new InputError(`memory: must be a positive integer, got ${show(memory)}`, 'memory');
  const state = new Lbfgsb(n, memory, lower, upper);
  return state.run(fg, x0, factr * EPS, pgtol, maxIterations, maxEvaluations, maxLineSearch);
}

function boundArray(values: ArrayLike<number> | undefined, n: number, fill: number, name: string): Float64Array {
  const out = new Float64Array(n).fill(fill);
  if (values === undefined) return out;
  if (values.length !== n) throw new InputError(`${name}: expected ${n} bounds, got ${values.length}`, name);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) throw new InputError(`${name}[${i}]: not a number: ${show(v)}`, name);
    out[i] = v;
  }
  return out;
}

/**
 * Working storage for one problem size; `run` allocates nothing per iteration, so a multistart can
 * reuse one instance for thousands of starts.
 */
export class Lbfgsb {
  readonly n: number;
  readonly m: number;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly constrained: boolean;
  private readonly boxed: boolean;
  // Correction pairs, ring buffer of `col` columns starting at `head`.
  private readonly S: Float64Array[];
  private readonly Y: Float64Array[];
  private col = 0;
  private head = 0;
  private theta = 1;
  // Compact-form blocks (col x col, row-major with stride m): S^T Y, S^T S, and the Cholesky factor of
  // T = theta S^T S + L D^-1 L^T used to apply the middle matrix M.
  private readonly SY: Float64Array;
  private readonly SS: Float64Array;
  private readonly T: Float64Array;
  // Vectors of length n.
  private readonly x: Float64Array;
  private readonly g: Float64Array;
  private readonly xOld: Float64Array;
  private readonly gOld: Float64Array;
  private readonly xc: Float64Array;
  private readonly z: Float64Array;
  private readonly d: Float64Array;
  private readonly dCauchy: Float64Array;
  private readonly t: Float64Array;
  private readonly r: Float64Array;
  private readonly free: Int32Array;
  private readonly order: Int32Array;
  // Vectors and matrices of size 2m.
  private readonly p: Float64Array;
  private readonly c: Float64Array;
  private readonly v: Float64Array;
  private readonly w: Float64Array;
  private readonly tmp: Float64Array;
  private readonly tmp2: Float64Array;
  private readonly K: Float64Array;
  private readonly A: Float64Array;
  private readonly pivot: Int32Array;

  constructor(n: number, m: number, lower: Float64Array, upper: Float64Array) {
    this.n = n;
    this.m = m;
    this.lower = lower;
    this.upper = upper;
    let constrained = false;
    let boxed = true;
    for (let i = 0; i < n; i++) {
      const lo = Number.isFinite(lower[i]!),
        hi = Number.isFinite(upper[i]!);
      if (lo || hi) constrained = true;
      if (!(lo && hi)) boxed = false;
    }
    this.constrained = constrained;
    this.boxed = boxed;
    this.S = Array.from({ length: m }, () => new Float64Array(n));
    this.Y = Array.from({ length: m }, () => new Float64Array(n));
    this.SY = new Float64Array(m * m);
    this.SS = new Float64Array(m * m);
    this.T = new Float64Array(m * m);
    const vec = () => new Float64Array(n);
    this.x = vec();
    this.g = vec();
    this.xOld = vec();
    this.gOld = vec();
    this.xc = vec();
    this.z = vec();
    this.d = vec();
    this.dCauchy = vec();
    this.t = vec();
    this.r = vec();
    this.free = new Int32Array(n);
    this.order = new Int32Array(n);
    const m2 = 2 * m;
    this.p = new Float64Array(m2);
    this.c = new Float64Array(m2);
    this.v = new Float64Array(m2);
    this.w = new Float64Array(m2);
    this.tmp = new Float64Array(m2);
    this.tmp2 = new Float64Array(m2);
    this.K = new Float64Array(m2 * m2);
    this.A = new Float64Array(m2 * m2);
    this.pivot = new Int32Array(m2);
  }

  run(fg: ValueAndGradient, x0: ArrayLike<number>, ftol: number, pgtol: number, maxIterations: number, maxEvaluations: number, maxLineSearch: number): LbfgsbResult {
    const { n, x, g, lower, upper } = this;
    this.col = 0;
    this.head = 0;
    this.theta = 1;
    for (let i = 0; i < n; i++) x[i] = Math.min(Math.max(x0[i]!, lower[i]!), upper[i]!);
    let f = fg(x, g);
    let evaluations = 1;
    let iterations = 0;
    const done = (status: LbfgsbStatus): LbfgsbResult => ({
      x: Float64Array.from(x),
      f,
      grad: Float64Array.from(g),
      projectedGradient: this.projectedGradientNorm(),
      iterations,
      evaluations,
      converged: status === 'gradient' || status === 'reduction',
      status,
      message: MESSAGES[status],
    });
    if (!isFiniteState(f, g)) return done('non-finite');
    if (this.projectedGradientNorm() <= pgtol) return done('gradient');

    for (;;) {
      // Steps 1-2: Cauchy point and subspace minimisation give the target z; the search direction is z - x.
      if (!this.constrained && this.col > 0) {
        this.c.fill(0);
        for (let i = 0; i < n; i++) {
          this.xc[i] = x[i]!;
          this.free[i] = 1;
        }
      } else {
        this.cauchy();
      }
      this.z.set(this.xc);
      if (this.col > 0) this.subspace();
      let dnorm2 = 0;
      let gd = 0;
      for (let i = 0; i < n; i++) {
        const di = this.z[i]! - x[i]!;
        this.d[i] = di;
        dnorm2 += di * di;
        gd += g[i]! * di;
      }
      const dnorm = Math.sqrt(dnorm2);

      // Step 3: line search along d from x, staying inside the box.
      this.xOld.set(x);
      this.gOld.set(g);
      const fOld = f;
      let ok = gd < 0 && dnorm > 0;
      let stp = 1;
      if (ok) {
        let stpmax = 1e10;
        if (this.constrained) {
          if (iterations === 0) stpmax = 1;
          else {
            for (let i = 0; i < n; i++) {
              const di = this.d[i]!;
              if (di < 0 && Number.isFinite(lower[i]!)) {
                const a = lower[i]! - x[i]!;
                stpmax = a >= 0 ? 0 : Math.min(stpmax, a / di);
              } else if (di > 0 && Number.isFinite(upper[i]!)) {
                const a = upper[i]! - x[i]!;
                stpmax = a <= 0 ? 0 : Math.min(stpmax, a / di);
              }
            }
          }
        }
        stp = iterations === 0 && !this.boxed ? Math.min(1 / dnorm, stpmax) : 1;
        const search = this.search;
        search.start(fOld, gd, stp, 1e-3, 0.9, 0.1, 0, stpmax);
        let tries = 0;
        ok = false;
        for (;;) {
          stp = search.stp;
          if (stp === 1) x.set(this.z);
          else for (let i = 0; i < n; i++) x[i] = this.xOld[i]! + stp * this.d[i]!;
          f = fg(x, g);
          evaluations++;
          tries++;
          if (!isFiniteState(f, g)) {
            // Step back towards the last good point rather than fail: the objective may blow up far out.
            if (tries >= maxLineSearch || evaluations >= maxEvaluations) break;
            search.shrink();
            continue;
          }
          let gdNew = 0;
          for (let i = 0; i < n; i++) gdNew += g[i]! * this.d[i]!;
          const task = search.step(f, gdNew);
          if (task === 'converged' || task === 'warning') {
            ok = true;
            break;
          }
          if (tries >= maxLineSearch || evaluations >= maxEvaluations) break;
        }
      }
      if (!ok) {
        // Restore the last iterate; with memory, retry once along steepest descent (as scipy does).
        x.set(this.xOld);
        g.set(this.gOld);
        f = fOld;
        if (evaluations >= maxEvaluations) return done('max-evaluations');
        if (this.col === 0) return done(isFiniteState(f, g) ? 'line-search' : 'non-finite');
        this.col = 0;
        this.head = 0;
        this.theta = 1;
        continue;
      }
      iterations++;

      // Step 4: convergence tests.
      if (this.projectedGradientNorm() <= pgtol) return done('gradient');
      if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) return done('reduction');
      if (iterations >= maxIterations) return done('max-iterations');
      if (evaluations >= maxEvaluations) return done('max-evaluations');

      // Step 5: update the correction pairs unless the curvature condition fails.
      let sy = 0,
        yy = 0,
        gdOld = 0;
      for (let i = 0; i < n; i++) {
        const si = x[i]! - this.xOld[i]!;
        const yi = g[i]! - this.gOld[i]!;
        sy += si * yi;
        yy += yi * yi;
        gdOld += this.gOld[i]! * si;
      }
      if (sy > EPS * -gdOld) this.update(sy, yy);
    }
  }

  private readonly search = new MoreThuente();

  private projectedGradientNorm(): number {
    const { n, x, g, lower, upper } = this;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      let gi = g[i]!;
      if (gi < 0) {
        if (upper[i]! < Infinity) gi = Math.max(x[i]! - upper[i]!, gi);
      } else if (lower[i]! > -Infinity) gi = Math.min(x[i]! - lower[i]!, gi);
      norm = Math.max(norm, Math.abs(gi));
    }
    return norm;
  }

  /** Adds the pair (s, y) = (x - xOld, g - gOld) and refreshes S^T Y, S^T S and T. */
  private update(sy: number, yy: number): void {
    const { n, m, x, g, xOld, gOld } = this;
    let slot: number;
    if (this.col < m) {
      slot = (this.head + this.col) % m;
      this.col++;
    } else {
      slot = this.head;
      this.head = (this.head + 1) % m;
    }
    const s = this.S[slot]!,
      y = this.Y[slot]!;
    for (let i = 0; i < n; i++) {
      s[i] = x[i]! - xOld[i]!;
      y[i] = g[i]! - gOld[i]!;
    }
    this.theta = yy / sy;
    // Recompute the small col x col blocks from scratch: cheap for m <= ~20 and keeps the ring order simple.
    const col = this.col;
    for (let a = 0; a < col; a++) {
      const sa = this.S[(this.head + a) % m]!;
      for (let b = 0; b < col; b++) {
        const sb = this.S[(this.head + b) % m]!,
          yb = this.Y[(this.head + b) % m]!;
        let dotSY = 0,
          dotSS = 0;
        for (let i = 0; i < n; i++) {
          dotSY += sa[i]! * yb[i]!;
          dotSS += sa[i]! * sb[i]!;
        }
        this.SY[a * m + b] = dotSY;
        this.SS[a * m + b] = dotSS;
      }
    }
    this.formT();
  }

  /** T = theta S^T S + L D^-1 L^T, then its Cholesky factor in place (lower triangle). */
  private formT(): void {
    const { m, col, SY, SS, T, theta } = this;
    for (let a = 0; a < col; a++) {
      for (let b = 0; b <= a; b++) {
        let sum = theta * SS[a * m + b]!;
        // L[a][k] = s_a^T y_k for k < a (strictly lower part of S^T Y).
        const kmax = Math.min(a, b);
        for (let k = 0; k < kmax; k++) sum += (SY[a * m + k]! * SY[b * m + k]!) / SY[k * m + k]!;
        T[a * m + b] = sum;
      }
    }
    for (let j = 0; j < col; j++) {
      let diag = T[j * m + j]!;
      for (let k = 0; k < j; k++) diag -= T[j * m + k]! ** 2;
      // Positive by construction (s^T y > 0); the floor guards against rounding in near-dependent pairs.
      const root = Math.sqrt(Math.max(diag, EPS * Math.abs(T[j * m + j]!) + 1e-300));
      T[j * m + j] = root;
      for (let i = j + 1; i < col; i++) {
        let sum = T[i * m + j]!;
        for (let k = 0; k < j; k++) sum -= T[i * m + k]! * T[j * m + k]!;
        T[i * m + j] = sum / root;
      }
    }
  }

  /**
   * out = M v for the compact middle matrix M = [[-D, L^T], [L, theta S^T S]]^-1 (size 2 col), by block
   * elimination: T p2 = v2 + L D^-1 v1, p1 = D^-1 (L^T p2 - v1).
   */
  private bmv(v: Float64Array, out: Float64Array): void {
    const { m, col, SY, T } = this;
    const rhs = this.tmp;
    for (let a = 0; a < col; a++) {
      let sum = v[col + a]!;
      for (let k = 0; k < a; k++) sum += (SY[a * m + k]! * v[k]!) / SY[k * m + k]!;
      rhs[a] = sum;
    }
    // Forward then backward substitution with the Cholesky factor.
    for (let a = 0; a < col; a++) {
      let sum = rhs[a]!;
      for (let k = 0; k < a; k++) sum -= T[a * m + k]! * rhs[k]!;
      rhs[a] = sum / T[a * m + a]!;
    }
    for (let a = col - 1; a >= 0; a--) {
      let sum = rhs[a]!;
      for (let k = a + 1; k < col; k++) sum -= T[k * m + a]! * rhs[k]!;
      rhs[a] = sum / T[a * m + a]!;
    }
    for (let a = 0; a < col; a++) out[col + a] = rhs[a]!;
    for (let a = 0; a < col; a++) {
      let sum = -v[a]!;
      for (let k = a + 1; k < col; k++) sum += SY[k * m + a]! * rhs[k]!;
      out[a] = sum / SY[a * m + a]!;
    }
  }

  /** Row i of W = [Y, theta S] into `w`. */
  private wRow(i: number, w: Float64Array): void {
    const { m, col, head, theta } = this;
    for (let a = 0; a < col; a++) {
      const slot = (head + a) % m;
      w[a] = this.Y[slot]![i]!;
      w[col + a] = theta * this.S[slot]![i]!;
    }
  }

  /** Generalized Cauchy point (Byrd et al. 1995, Algorithm CP): xc, c = W^T (xc - x), and the free set. */
  private cauchy(): void {
    const { n, x, g, lower, upper, xc, t, p, c, v, w, free, order, theta, col } = this;
    const d = this.dCauchy;
    const col2 = 2 * col;
    let f1 = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      let ti = Infinity;
      if (gi < 0 && upper[i]! < Infinity) ti = Math.max(0, (x[i]! - upper[i]!) / gi);
      else if (gi > 0 && lower[i]! > -Infinity) ti = Math.max(0, (x[i]! - lower[i]!) / gi);
      if (lower[i] === upper[i]) ti = 0;
      t[i] = ti;
      xc[i] = x[i]!;
      if (ti === 0 || gi === 0) {
        d[i] = 0;
        free[i] = ti === 0 ? 0 : 1;
      } else {
        d[i] = -gi;
        f1 -= gi * gi;
        free[i] = 1;
        if (ti < Infinity) order[count++] = i;
      }
    }
    c.fill(0, 0, col2);
    if (f1 === 0) return; // projected gradient is zero: x is the Cauchy point
    // p = W^T d
    p.fill(0, 0, col2);
    for (let i = 0; i < n; i++) {
      if (d[i] === 0) continue;
      this.wRow(i, w);
      for (let a = 0; a < col2; a++) p[a] = p[a]! + w[a]! * d[i]!;
    }
    let f2 = -theta * f1;
    if (col > 0) {
      this.bmv(p, v);
      for (let a = 0; a < col2; a++) f2 -= v[a]! * p[a]!;
    }
    const f2Original = f2;
    let dtMin = -f1 / f2;
    let tOld = 0;
    // Breakpoints in increasing order (insertion sort: n is small and most are infinite).
    const ord = order.subarray(0, count);
    for (let a = 1; a < count; a++) {
      const key = ord[a]!,
        tk = t[key]!;
      let b = a - 1;
      while (b >= 0 && t[ord[b]!]! > tk) {
        ord[b + 1] = ord[b]!;
        b--;
      }
      ord[b + 1] = key;
    }
    let k = 0;
    for (; k < count; k++) {
      const b = ord[k]!;
      const tb = t[b]!;
      const dt = tb - tOld;
      if (dtMin < dt) break;
      // Variable b reaches its bound and is fixed there for the rest of the path.
      const db = d[b]!;
      const bound = db > 0 ? upper[b]! : lower[b]!;
      const zb = bound - x[b]!;
      xc[b] = bound;
      free[b] = 0;
      d[b] = 0;
      const db2 = db * db;
      f1 += dt * f2 + db2 - theta * db * zb;
      f2 -= theta * db2;
      if (col > 0) {
        for (let a = 0; a < col2; a++) c[a] = c[a]! + dt * p[a]!;
        this.wRow(b, w);
        this.bmv(w, v);
        let wmc = 0,
          wmp = 0,
          wmw = 0;
        for (let a = 0; a < col2; a++) {
          wmc += c[a]! * v[a]!;
          wmp += p[a]! * v[a]!;
          wmw += w[a]! * v[a]!;
        }
        for (let a = 0; a < col2; a++) p[a] = p[a]! - db * w[a]!;
        f1 += db * wmc;
        f2 += 2 * db * wmp - db2 * wmw;
      }
      f2 = Math.max(EPS * f2Original, f2);
      tOld = tb;
      dtMin = -f1 / f2;
    }
    if (k === count) {
      // Every breakpoint was passed: if no variable is left moving, the path ends at the last one.
      let moving = false;
      for (let i = 0; i < n; i++)
        if (d[i] !== 0) {
          moving = true;
          break;
        }
      if (!moving) dtMin = 0;
    }
    dtMin = Math.max(dtMin, 0);
    tOld += dtMin;
    for (let i = 0; i < n; i++) if (d[i] !== 0) xc[i] = x[i]! + tOld * d[i]!;
    for (let a = 0; a < col2; a++) c[a] = c[a]! + dtMin * p[a]!;
  }

  /**
   * Direct primal subspace minimisation (Byrd et al. 1995, §5.1) over the variables free at xc:
   * d = -B̂^-1 r̂ with r̂ = Z^T (g + theta (xc - x) - W M c) and, by Sherman-Morrison-Woodbury,
   * B̂^-1 = I/theta + Z^T W (I - M W^T Z Z^T W / theta)^-1 M W^T Z / theta^2. The step is projected
   * onto the box (Morales and Nocedal 2011) unless that spoils descent, in which case it is truncated.
   */
  private subspace(): void {
    const { n, x, g, xc, c, v, w, free, theta, col, r, K, A } = this;
    const col2 = 2 * col;
    let nFree = 0;
    for (let i = 0; i < n; i++) if (free[i]) nFree++;
    if (nFree === 0) return;
    // r̂ for the free variables (stored in r, zero elsewhere), and u = W^T Z r̂.
    this.bmv(c, v); // v = M c
    const u = this.p;
    u.fill(0, 0, col2);
    A.fill(0);
    for (let i = 0; i < n; i++) {
      if (!free[i]) {
        r[i] = 0;
        continue;
      }
      this.wRow(i, w);
      let wmc = 0;
      for (let a = 0; a < col2; a++) wmc += w[a]! * v[a]!;
      const ri = g[i]! + theta * (xc[i]! - x[i]!) - wmc;
      r[i] = ri;
      for (let a = 0; a < col2; a++) {
        u[a] = u[a]! + w[a]! * ri;
        const wa = w[a]!;
        for (let b = 0; b < col2; b++) A[a * col2 + b] = A[a * col2 + b]! + wa * w[b]!;
      }
    }
    const dir = this.d;
    if (nFree <= col2 && this.subspaceDirect(nFree, dir)) {
      this.projectStep(dir);
      return;
    }
    // K = I - M A / theta, column by column through bmv.
    const colVec = this.w,
      out = this.tmp2;
    for (let b = 0; b < col2; b++) {
      for (let a = 0; a < col2; a++) colVec[a] = A[a * col2 + b]!;
      this.bmv(colVec, out);
      for (let a = 0; a < col2; a++) K[a * col2 + b] = (a === b ? 1 : 0) - out[a]! / theta;
    }
    this.bmv(u, v); // v = M u
    if (!solveInPlace(K, v, col2, this.pivot)) return; // singular: keep the Cauchy point
    // d̂ = -r̂ / theta - Z^T W v / theta^2, applied at xc.
    for (let i = 0; i < n; i++) {
      if (!free[i]) {
        dir[i] = 0;
        continue;
      }
      this.wRow(i, w);
      let wv = 0;
      for (let a = 0; a < col2; a++) wv += w[a]! * v[a]!;
      dir[i] = -r[i]! / theta - wv / (theta * theta);
    }
    this.projectStep(dir);
  }

  /**
   * With no more free variables than 2 col, the reduced Hessian B̂ = theta I - Z^T W M W^T Z is
   * smaller than the Sherman-Morrison-Woodbury system: form it (one bmv per free variable) and solve
   * B̂ d = -r̂ by Cholesky. Same step, less work. False if B̂ is not numerically positive definite.
   */
  private subspaceDirect(nFree: number, dir: Float64Array): boolean {
    const { n, free, theta, col, r, w } = this;
    const col2 = 2 * col;
    const index = (this.freeIndex ??= new Int32Array(n));
    const Wf = (this.wFree ??= new Float64Array(n * 2 * this.m));
    const MWf = (this.mwFree ??= new Float64Array(n * 2 * this.m));
    const H = (this.reduced ??= new Float64Array(n * n));
    let k = 0;
    for (let i = 0; i < n; i++) if (free[i]) index[k++] = i;
    for (let a = 0; a < nFree; a++) {
      this.wRow(index[a]!, w);
      Wf.set(w.subarray(0, col2), a * col2);
      this.bmv(w, this.tmp2);
      MWf.set(this.tmp2.subarray(0, col2), a * col2);
    }
    for (let a = 0; a < nFree; a++) {
      for (let b = 0; b <= a; b++) {
        let dot = 0;
        for (let t = 0; t < col2; t++) dot += Wf[a * col2 + t]! * MWf[b * col2 + t]!;
        H[a * nFree + b] = (a === b ? theta : 0) - dot;
      }
    }
    // Cholesky in place (lower triangle).
    for (let j = 0; j < nFree; j++) {
      let diag = H[j * nFree + j]!;
      for (let t = 0; t < j; t++) diag -= H[j * nFree + t]! ** 2;
      if (!(diag > 0)) return false;
      const root = Math.sqrt(diag);
      H[j * nFree + j] = root;
      for (let i = j + 1; i < nFree; i++) {
        let sum = H[i * nFree + j]!;
        for (let t = 0; t < j; t++) sum -= H[i * nFree + t]! * H[j * nFree + t]!;
        H[i * nFree + j] = sum / root;
      }
    }
    const y = (this.rhsFree ??= new Float64Array(n));
    for (let a = 0; a < nFree; a++) {
      let sum = -r[index[a]!]!;
      for (let t = 0; t < a; t++) sum -= H[a * nFree + t]! * y[t]!;
      y[a] = sum / H[a * nFree + a]!;
    }
    for (let a = nFree - 1; a >= 0; a--) {
      let sum = y[a]!;
      for (let t = a + 1; t < nFree; t++) sum -= H[t * nFree + a]! * y[t]!;
      y[a] = sum / H[a * nFree + a]!;
    }
    dir.fill(0);
    for (let a = 0; a < nFree; a++) dir[index[a]!] = y[a]!;
    return true;
  }

  private freeIndex: Int32Array | undefined;
  private wFree: Float64Array | undefined;
  private mwFree: Float64Array | undefined;
  private reduced: Float64Array | undefined;
  private rhsFree: Float64Array | undefined;

  /**
   * Morales-Nocedal: project xc + d̂ onto the box and keep it if it is a descent direction from x;
   * otherwise truncate the step at the first bound it meets (the original 1995 rule).
   */
  private projectStep(dir: Float64Array): void {
    const { n, x, g, xc, z, free, lower, upper } = this;
    let descent = 0;
    for (let i = 0; i < n; i++) {
      const zi = free[i] ? Math.min(Math.max(xc[i]! + dir[i]!, lower[i]!), upper[i]!) : xc[i]!;
      z[i] = zi;
      descent += (zi - x[i]!) * g[i]!;
    }
    if (descent <= 0) return;
    let alpha = 1;
    for (let i = 0; i < n; i++) {
      if (!free[i]) continue;
      const di = dir[i]!;
      if (di < 0 && lower[i]! > -Infinity) {
        const gap = lower[i]! - xc[i]!;
        if (gap >= 0) alpha = 0;
        else if (di * alpha < gap) alpha = gap / di;
      } else if (di > 0 && upper[i]! < Infinity) {
        const gap = upper[i]! - xc[i]!;
        if (gap <= 0) alpha = 0;
        else if (di * alpha > gap) alpha = gap / di;
      }
    }
    for (let i = 0; i < n; i++) z[i] = free[i] ? Math.min(Math.max(xc[i]! + alpha * dir[i]!, lower[i]!), upper[i]!) : xc[i]!;
  }
}

function isFiniteState(f: number, g: Float64Array): boolean {
  if (!Number.isFinite(f)) return false;
  for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i]!)) return false;
  return true;
}

/** Gaussian elimination with partial pivoting: solves K x = b in place (b becomes x). False if singular. */
function solveInPlace(K: Float64Array, b: Float64Array, size: number, pivot: Int32Array): boolean {
  for (let k = 0; k < size; k++) {
    let best = k,
      bestAbs = Math.abs(K[k * size + k]!);
    for (let i = k + 1; i < size; i++) {
      const a = Math.abs(K[i * size + k]!);
      if (a > bestAbs) {
        best = i;
        bestAbs = a;
      }
    }
    if (bestAbs === 0 || !Number.isFinite(bestAbs)) return false;
    pivot[k] = best;
    if (best !== k) {
      for (let j = 0; j < size; j++) {
        const tmp = K[k * size + j]!;
        K[k * size + j] = K[best * size + j]!;
        K[best * size + j] = tmp;
      }
      const tmp = b[k]!;
      b[k] = b[best]!;
      b[best] = tmp;
    }
    const diag = K[k * size + k]!;
    for (let i = k + 1; i < size; i++) {
      const factor = K[i * size + k]! / diag;
      if (factor === 0) continue;
      for (let j = k; j < size; j++) K[i * size + j] = K[i * size + j]! - factor * K[k * size + j]!;
      b[i] = b[i]! - factor * b[k]!;
    }
  }
  for (let k = size - 1; k >= 0; k--) {
    let sum = b[k]!;
    for (let j = k + 1; j < size; j++) sum -= K[k * size + j]! * b[j]!;
    b[k] = sum / K[k * size + k]!;
  }
  return true;
}

/**
 * Moré-Thuente line search (Moré and Thuente 1994; MINPACK-2 dcsrch and dcstep): finds a step
 * satisfying the strong Wolfe conditions f(stp) <= f(0) + ftol stp f'(0) and |f'(stp)| <= gtol |f'(0)|,
 * keeping an interval of uncertainty that brackets such a step.
 */
export class MoreThuente {
  stp = 0;
  private ftol = 1e-3;
  private gtol = 0.9;
  private xtol = 0.1;
  private stpmin = 0;
  private stpmax = 1e10;
  private brackt = false;
  private stage = 1;
  private finit = 0;
  private ginit = 0;
  private gtest = 0;
  private width = 0;
  private width1 = 0;
  private stx = 0;
  private fx = 0;
  private gx = 0;
  private sty = 0;
  private fy = 0;
  private gy = 0;
  private stmin = 0;
  private stmax = 0;

  start(f: number, g: number, stp: number, ftol: number, gtol: number, xtol: number, stpmin: number, stpmax: number): void {
    this.stp = stp;
    this.ftol = ftol;
    this.gtol = gtol;
    this.xtol = xtol;
    this.stpmin = stpmin;
    this.stpmax = stpmax;
    this.brackt = false;
    this.stage = 1;
    this.finit = f;
    this.ginit = g;
    this.gtest = ftol * g;
    this.width = stpmax - stpmin;
    this.width1 = this.width / 0.5;
    this.stx = 0;
    this.fx = f;
    this.gx = g;
    this.sty = 0;
    this.fy = f;
    this.gy = g;
    this.stmin = 0;
    this.stmax = stp + 4 * stp;
  }

  /** After a non-finite value: halve towards the best step so far. */
  shrink(): void {
    this.brackt = true;
    this.sty = this.stp;
    this.fy = Infinity;
    this.gy = 0;
    this.stmin = Math.min(this.stx, this.sty);
    this.stmax = Math.max(this.stx, this.sty);
    this.stp = this.stx + 0.5 * (this.stp - this.stx);
  }

  /** Feeds f(stp) and f'(stp); returns 'converged', 'warning' (accept stp as is) or 'continue' with a new `stp`. */
  step(f: number, g: number): 'converged' | 'warning' | 'continue' {
    const { stp, gtest, stpmin, stpmax } = this;
    const ftest = this.finit + stp * gtest;
    if (this.stage === 1 && f <= ftest && g >= 0) this.stage = 2;
    if (this.brackt && (stp <= this.stmin || stp >= this.stmax)) return 'warning';
    if (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax) return 'warning';
    if (stp === stpmax && f <= ftest && g <= gtest) return 'warning';
    if (stp === stpmin && (f > ftest || g >= gtest)) return 'warning';
    if (f <= ftest && Math.abs(g) <= this.gtol * -this.ginit) return 'converged';

    if (this.stage === 1 && f <= this.fx && f > ftest) {
      // Modified function psi(stp) = f(stp) - f(0) - ftol stp f'(0) until a step with psi <= 0 and f' >= 0 is found.
      const fm = f - stp * gtest,
        gm = g - gtest;
      this.fx -= this.stx * gtest;
      this.fy -= this.sty * gtest;
      this.gx -= gtest;
      this.gy -= gtest;
      this.dcstep(fm, gm);
      this.fx += this.stx * gtest;
      this.fy += this.sty * gtest;
      this.gx += gtest;
      this.gy += gtest;
    } else {
      this.dcstep(f, g);
    }
    if (this.brackt) {
      if (Math.abs(this.sty - this.stx) >= 0.66 * this.width1) this.stp = this.stx + 0.5 * (this.sty - this.stx);
      this.width1 = this.width;
      this.width = Math.abs(this.sty - this.stx);
      this.stmin = Math.min(this.stx, this.sty);
      this.stmax = Math.max(this.stx, this.sty);
    } else {
      this.stmin = this.stp + 1.1 * (this.stp - this.stx);
      this.stmax = this.stp + 4 * (this.stp - this.stx);
    }
    this.stp = Math.min(Math.max(this.stp, stpmin), stpmax);
    if ((this.brackt && (this.stp <= this.stmin || this.stp >= this.stmax)) || (this.brackt && this.stmax - this.stmin <= this.xtol * this.stmax)) {
      this.stp = this.stx;
    }
    return 'continue';
  }

  /** One safeguarded step (dcstep): cubic and quadratic interpolation, four cases. */
  private dcstep(fp: number, dp: number): void {
    const { stx, fx, gx: dx, sty, fy, gy: dy, stp } = this;
    const stpmin = this.stmin,
      stpmax = this.stmax;
    const sgnd = dp * (dx / Math.abs(dx));
    let stpf: number;
    if (fp > fx) {
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
      if (stp < stx) gamma = -gamma;
      const p = gamma - dx + theta;
      const q = gamma - dx + gamma + dp;
      const stpc = stx + (p / q) * (stp - stx);
      const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
      stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
      this.brackt = true;
    } else if (sgnd < 0) {
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
      if (stp > stx) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dx;
      const stpc = stp + (p / q) * (stx - stp);
      const stpq = stp + (dp / (dp - dx)) * (stx - stp);
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      this.brackt = true;
    } else if (Math.abs(dp) < Math.abs(dx)) {
      const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
      let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
      if (stp > stx) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma + (dx - dp) + gamma;
      const r = p / q;
      let stpc: number;
      if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
      else stpc = stp > stx ? stpmax : stpmin;
      const stpq = stp + (dp / (dp - dx)) * (stx - stp);
      if (this.brackt) {
        stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
        stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
      } else {
        stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
        stpf = Math.max(stpmin, Math.min(stpmax, stpf));
      }
    } else if (this.brackt) {
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = s * Math.sqrt((theta / s) ** 2 - (dy / s) * (dp / s));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      stpf = stp + (p / q) * (sty - stp);
    } else {
      stpf = stp > stx ? stpmax : stpmin;
    }
    if (fp > fx) {
      this.sty = stp;
      this.fy = fp;
      this.gy = dp;
    } else {
      if (sgnd < 0) {
        this.sty = stx;
        this.fy = fx;
        this.gy = dx;
      }
      this.stx = stp;
      this.fx = fp;
      this.gx = dp;
    }
    this.stp = stpf;
  }
}
