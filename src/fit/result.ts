import { InputError, show } from '../core/errors.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';
import { quantile } from '../core/stats.js';
import type { CurvePoints } from '../laws/curve-points.js';
import type { Inputs, Law } from '../laws/law.js';
import { getLaw, hasLaw } from '../laws/registry.js';
import { predictCurve, type CurvePrediction, type PredictOptions } from './predict-curve.js';

/** One fitted parameter. */
export interface FitParam {
  readonly name: string;
  readonly value: number;
  /** Bounds the fit used (natural units). */
  readonly min: number;
  readonly max: number;
  /** Held at `value` rather than fitted. */
  readonly fixed: boolean;
  /** The optimum sits on `min` or `max` (relative gap below 1e-6): the bound, not the data, set it. */
  readonly atBound: boolean;
  /** Bootstrap standard error, when a bootstrap was run (Infinity, saved as null, where it is not finite). */
  readonly stderr?: number;
  /** Bootstrap percentile interval at `bootstrap.level`. */
  readonly interval?: readonly [number, number];
  /**
   * Asymptotic standard error from the covariance s^2 (J^T W J)^-1 at the optimum (J the Jacobian
   * of the residuals), beside the bootstrap's `stderr`: Infinity (saved as null) where the data
   * leave it free; absent for fixed and at-bound parameters and for published values.
   */
  readonly covarianceStderr?: number;
}

/** Residual statistics of a fit at its optimum, as lmfit's fit report gives them. */
export interface FitStatistics {
  /** Data points n. */
  readonly points: number;
  /** Free (fitted, not on a bound) parameters k. */
  readonly free: number;
  /** n - k. */
  readonly dof: number;
  /** Weighted sum of squared residuals (lmfit's chi-square), in `space`. */
  readonly rss: number;
  /** sqrt(rss / n). */
  readonly rmse: number;
  readonly maxAbsResidual: number;
  /** n ln(rss / n) + 2 k. */
  readonly aic: number;
  /** n ln(rss / n) + k ln n. */
  readonly bic: number;
  /** The residuals' space: log (log L - log Lhat) or linear. */
  readonly space: string;
}

/** The correlation of two fitted parameters' estimates, from the covariance at the optimum. */
export interface FitCorrelation {
  readonly a: string;
  readonly b: string;
  readonly r: number;
}

/**
 * Something about a fit its numbers alone do not say: it stopped on an iteration cap
 * ('iteration-limit'), for another reason short of convergence ('not-converged'), a bound rather than
 * the data set a parameter ('at-bound'), or the data leave a parameter (or a combination naming it)
 * free ('not-identified').
 */
export interface FitWarning {
  readonly code: 'iteration-limit' | 'not-converged' | 'at-bound' | 'not-identified';
  /** The parameter it concerns, where it concerns one. */
  readonly parameter?: string;
  readonly message: string;
}

/** Resampled parameter sets, kept so prediction and allocation intervals can be computed later. */
export interface BootstrapRecord {
  readonly resamples: number;
  readonly seed: number;
  /** Central level of the percentile intervals. */
  readonly level: number;
  /** What was resampled: rows ('points') or whole groups ('curves', runs). @default rows */
  readonly by?: string;
  /** Starts per resample (the full fit's distinct optima). */
  readonly starts?: number;
  /** Resamples whose fit did not converge (still included). */
  readonly unconverged?: number;
  /** samples[k] = parameter values of resample k, in the order of `params`. */
  readonly samples: readonly (readonly number[])[];
}

/** The objective a fit minimised: sum over rows of `loss` on residuals in `space`. */
export interface FitObjective {
  readonly loss: string;
  readonly settings: Readonly<Record<string, number>>;
  readonly space: 'log' | 'linear';
  /** Objective at the optimum (null where not fitted, e.g. published values). */
  readonly value: number | null;
}

/** What every fit record holds, whatever its kind. */
export interface FitRecordBase {
  readonly law: string;
  readonly formula?: string;
  readonly params: readonly FitParam[];
  readonly objective: FitObjective;
  readonly converged: boolean;
  /** Why the best start stopped, or where the values came from. */
  readonly message: string;
  /** Iteration caps, bounds and unidentified parameters the fit ran into. @default none */
  readonly warnings?: readonly FitWarning[];
  readonly starts?: { readonly count: number; readonly converged: number };
  /** ISO date of the fit (or of the publication, for published values). */
  readonly date: string;
  readonly bootstrap?: BootstrapRecord;
  /** Free text: citation, protocol. */
  readonly notes?: string;
  /** Residual statistics at the optimum (absent for published values). */
  readonly statistics?: FitStatistics;
  /** Parameter correlations at the optimum, every pair of free identified parameters. */
  readonly correlations?: readonly FitCorrelation[];
}

/** A saved scaling-law fit (kind 'scaling-fit'). */
export interface FitRecord extends FitRecordBase {
  readonly kind: 'scaling-fit';
  /** Format version; files of older versions keep loading. */
  readonly version: 1;
  readonly inputs: readonly string[];
  readonly starts: { readonly count: number; readonly converged: number };
  /** Distinct local optima found by the multistart, best first (natural units), for seeding resample fits. */
  readonly optima?: readonly (readonly number[])[];
  readonly data: {
    readonly source: string;
    readonly rows: number;
    /** Rows left out before the fit, with reasons. */
    readonly excluded?: readonly { readonly row: number; readonly reason: string }[];
  };
}

/** One curve a whole-curve fit was fitted on. */
export interface CurveSummary {
  readonly name: string;
  readonly schedule: ScheduleSpec | null;
  readonly N?: number;
  readonly points: number;
  /** mean |L - Lhat| / L over the curve's points. */
  readonly meanRelativeError: number;
}

/** A saved whole-loss-curve fit (kind 'curve-fit'); version 1 files (before the common fit record) load too. */
export interface CurveFitRecord extends FitRecordBase {
  readonly kind: 'curve-fit';
  readonly version: 2;
  /** The procedure that ran from the starts and its settings. */
  readonly optimizer: { readonly name: string; readonly settings: Readonly<Record<string, number>> };
  readonly curves: readonly CurveSummary[];
}

/**
 * What scaling fits and whole-curve fits share: parameters with bounds and errors, the objective,
 * convergence and warnings, bootstrap samples, `report()` and a JSON round trip. Read any saved fit
 * with `Fit.fromJSON`, which dispatches on `kind`.
 */
export abstract class Fit implements FitRecordBase {
  declare readonly kind: 'scaling-fit' | 'curve-fit';
  declare readonly version: number;
  declare readonly law: string;
  declare readonly formula?: string;
  declare readonly params: readonly FitParam[];
  declare readonly objective: FitObjective;
  declare readonly converged: boolean;
  declare readonly message: string;
  declare readonly warnings?: readonly FitWarning[];
  declare readonly starts?: { readonly count: number; readonly converged: number };
  declare readonly date: string;
  declare readonly bootstrap?: BootstrapRecord;
  declare readonly notes?: string;
  declare readonly statistics?: FitStatistics;
  declare readonly correlations?: readonly FitCorrelation[];

  /** Parameter values by name. */
  get values(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.params.map((p) => [p.name, p.value]));
  }

  /** Names of parameters that ended on a bound. */
  get atBound(): string[] {
    return this.params.filter((p) => p.atBound && !p.fixed).map((p) => p.name);
  }

  /** Parameter values in the law's order. */
  vector(): Float64Array {
    return Float64Array.from(this.params, (p) => p.value);
  }

  abstract toJSON(): FitRecord | CurveFitRecord;

  /** The lines of `report()` that describe the data (after the header). */
  protected abstract dataLines(): string[];

  /** Lines after the parameters (e.g. per-curve errors). */
  protected tailLines(): string[] {
    return [];
  }

  /** A readable summary: formula, values with errors and intervals, convergence, warnings, data. */
  report(): string {
    const lines: string[] = [];
    lines.push(`[[Fit]] ${this.law}${this.formula ? `: ${this.formula}` : ''}`);
    lines.push(...this.dataLines());
    lines.push(
      `    objective:   sum of ${this.objective.loss}${fmtSettings(this.objective.settings)} on ${this.objective.space} residuals = ${this.objective.value === null ? 'n/a' : this.objective.value.toPrecision(8)}`,
    );
    if (this.starts) lines.push(`    starts:      ${this.starts.count} (${this.starts.converged} converged)`);
    lines.push(`    status:      ${this.converged ? 'converged' : 'NOT CONVERGED'}: ${this.message}`);
    if (this.warnings) for (const w of this.warnings) lines.push(`    warning:     ${w.message}`);
    else if (this.atBound.length) lines.push(`    warning:     ended on a bound: ${this.atBound.join(', ')} (the bound, not the data, set these values)`);
    lines.push(`    date:        ${this.date}`);
    const st = this.statistics;
    if (st) {
      lines.push(
        `[[Fit Statistics]] (plain squared residuals in ${st.space} space at the optimum)`,
        `    data points  ${st.points}`,
        `    variables    ${st.free}`,
        `    dof          ${st.dof}`,
        `    chi-square   ${fmt(st.rss)}  (reduced ${st.dof > 0 ? fmt(st.rss / st.dof) : 'n/a'})`,
        `    residuals    RMS ${fmt(st.rmse)}, max |r| ${fmt(st.maxAbsResidual)}`,
        `    AIC          ${fmt(st.aic)}`,
        `    BIC          ${fmt(st.bic)}`,
      );
    }
    lines.push(
      `[[Parameters]]${this.bootstrap ? ` (bootstrap: ${this.bootstrap.resamples} resamples${this.bootstrap.by ? ` by ${this.bootstrap.by}` : ''}, seed ${this.bootstrap.seed}, ${Math.round(this.bootstrap.level * 100)}% percentile intervals)` : ''}`,
    );
    const width = Math.max(...this.params.map((p) => p.name.length));
    const unidentified = new Set((this.warnings ?? []).filter((w) => w.code === 'not-identified').map((w) => w.parameter));
    for (const p of this.params) {
      let line = `    ${p.name.padEnd(width)}  ${fmt(p.value)}`;
      if (p.fixed) line += ' (fixed)';
      if (p.stderr !== undefined) line += Number.isFinite(p.stderr) ? ` +/- ${fmt(p.stderr)}` : ' +/- not identified';
      const end = (v: number) => (Number.isFinite(v) ? fmt(v) : 'unbounded');
      // An unidentified parameter's percentile interval is no answer: its ends are evidence only.
      if (p.interval && p.stderr !== undefined && !Number.isFinite(p.stderr)) line += `  interval not identified (resamples ranged ${end(p.interval[0])} to ${end(p.interval[1])})`;
      else if (p.interval) line += `  [${end(p.interval[0])}, ${end(p.interval[1])}]`;
      if (p.covarianceStderr !== undefined) line += Number.isFinite(p.covarianceStderr) ? `  (covariance: +/- ${fmt(p.covarianceStderr)})` : '  (covariance: not identified)';
      if (p.atBound && !p.fixed) line += '  at bound';
      if (unidentified.has(p.name) && (p.stderr === undefined || Number.isFinite(p.stderr))) line += '  not identified';
      lines.push(line);
    }
    const shown = [...(this.correlations ?? [])].filter((c) => Math.abs(c.r) >= 0.1).sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
    if (this.correlations && this.correlations.length > 0) {
      lines.push(`[[Correlations]] (unreported correlations are < 0.100)`);
      for (const c of shown) lines.push(`    C(${c.a}, ${c.b})${' '.repeat(Math.max(1, 2 * width + 2 - c.a.length - c.b.length))}= ${c.r >= 0 ? '+' : ''}${c.r.toFixed(4)}`);
    }
    lines.push(...this.tailLines());
    if (this.notes) lines.push(`[[Notes]]`, `    ${this.notes}`);
    return lines.join('\n');
  }

  /** Any saved fit, by its `kind`: a ScalingFit or a CurveFit. `source` names the file in errors. */
  static fromJSON(json: unknown, source = 'fit'): ScalingFit | CurveFit {
    const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
    if (kind === 'scaling-fit') return ScalingFit.fromJSON(json, source);
    if (kind === 'curve-fit') return CurveFit.fromJSON(json, source);
    throw new InputError(`${source}: kind must be "scaling-fit" or "curve-fit"; got ${show(kind)}`, 'kind');
  }
}

/** Checks the parts every kind shares; returns params with missing bounds as ±Infinity and null stderr as Infinity. */
function checkedParams(record: { params?: unknown }, law: Law<any>, source: string): FitParam[] {
  if (!Array.isArray(record.params)) throw new InputError(`${source}: params must be an array, got ${show(record.params)}`, 'params');
  const params = record.params as FitParam[];
  const names = law.params.map((p) => p.name);
  const got = params.map((p) => p?.name);
  if (names.join() !== got.join()) throw new InputError(`${source}: params of law ${show(law.name)} must be ${names.join(', ')}; got ${show(got)}`, 'params');
  for (const p of params) {
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) throw new InputError(`${source}: parameter ${p.name}: value must be a finite number, got ${show(p.value)}`, p.name);
  }
  return params.map((p) => {
    const stderr = (p.stderr as number | null | undefined) === null ? Infinity : p.stderr;
    const covarianceStderr = (p.covarianceStderr as number | null | undefined) === null ? Infinity : p.covarianceStderr;
    const { stderr: _s, covarianceStderr: _c, ...rest } = p;
    return { ...rest, min: p.min ?? -Infinity, max: p.max ?? Infinity, ...(stderr !== undefined ? { stderr } : {}), ...(covarianceStderr !== undefined ? { covarianceStderr } : {}) };
  });
}

function checkedSamples(bootstrap: BootstrapRecord | undefined, width: number, source: string): void {
  bootstrap?.samples?.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== width || !row.every(Number.isFinite)) {
      throw new InputError(`${source}: bootstrap.samples[${r}]: expected ${width} finite numbers`, 'bootstrap');
    }
  });
}

/**
 * A fitted (or published) scaling law: an immutable record with `predict`, `report` and JSON round
 * trip. Load saved fits with `ScalingFit.fromJSON` (or `Fit.fromJSON` for any kind).
 */
export class ScalingFit extends Fit implements FitRecord {
  declare readonly kind: 'scaling-fit';
  declare readonly version: 1;
  declare readonly inputs: readonly string[];
  declare readonly starts: FitRecord['starts'];
  declare readonly optima?: FitRecord['optima'];
  declare readonly data: FitRecord['data'];

  constructor(record: Omit<FitRecord, 'kind' | 'version'>) {
    super();
    Object.assign(this, deepFreeze(structuredClone({ ...record, kind: 'scaling-fit', version: 1 })));
    Object.freeze(this);
  }

  lawObject(): Law<Inputs> {
    return getLaw(this.law);
  }

  /** L at each row of `inputs` (columns named as the law's inputs), with the fitted values. */
  predict(inputs: Readonly<Record<string, ArrayLike<number> | number>>): Float64Array {
    return predictWith(this.lawObject(), this.vector(), inputs);
  }

  toJSON(): FitRecord {
    const { kind, version, law, formula, inputs, params, objective, converged, message, warnings, starts, optima, data, date, bootstrap, notes, statistics, correlations } = this;
    return { kind, version, law, formula, inputs, params, objective, converged, message, warnings, starts, optima, data, date, bootstrap, notes, statistics, correlations };
  }

  /** Rebuilds a fit from `toJSON` output (or a file's parsed text). `source` names the file in errors. */
  static override fromJSON(json: unknown, source = 'fit'): ScalingFit {
    if (typeof json !== 'object' || json === null) throw new InputError(`${source}: not a fit object: ${show(json)}`, 'kind');
    const record = json as Partial<FitRecord>;
    if (record.kind !== 'scaling-fit') throw new InputError(`${source}: kind must be "scaling-fit", got ${show(record.kind)}`, 'kind');
    if (record.version !== 1) throw new InputError(`${source}: unsupported fit version ${show(record.version)}`, 'version');
    if (typeof record.law !== 'string') throw new InputError(`${source}: law must be a name, got ${show(record.law)}`, 'law');
    if (!Array.isArray(record.params)) throw new InputError(`${source}: params must be an array, got ${show(record.params)}`, 'params');
    const params = checkedParams(record, getLaw(record.law), source);
    checkedSamples(record.bootstrap, params.length, source);
    const { kind: _kind, version: _version, ...rest } = record as FitRecord;
    return new ScalingFit({ ...rest, params });
  }

  protected dataLines(): string[] {
    return [`    data:        ${this.data.source} (${this.data.rows} rows${this.data.excluded?.length ? `, ${this.data.excluded.length} excluded` : ''})`];
  }
}

/**
 * A whole-loss-curve law fitted to one or more curves (`fitCurves`): the common fit record plus the
 * curves it saw; `predict(schedule)` gives the loss curve of any schedule.
 */
export class CurveFit extends Fit implements CurveFitRecord {
  declare readonly kind: 'curve-fit';
  declare readonly version: 2;
  declare readonly optimizer: CurveFitRecord['optimizer'];
  declare readonly curves: readonly CurveSummary[];

  constructor(record: Omit<CurveFitRecord, 'kind' | 'version'>) {
    super();
    Object.assign(this, deepFreeze(structuredClone({ ...record, kind: 'curve-fit', version: 2 })));
    Object.freeze(this);
  }

  lawObject(): Law<CurvePoints> {
    return getLaw(this.law);
  }

  /** The whole loss curve this fit predicts for a schedule (see `predictCurve`). */
  predict(schedule: ScheduleSpec | ArrayLike<number>, options: PredictOptions = {}): CurvePrediction {
    return predictCurve(this, schedule, options);
  }

  toJSON(): CurveFitRecord {
    const { kind, version, law, formula, params, objective, converged, message, warnings, starts, optimizer, curves, date, bootstrap, notes, statistics, correlations } = this;
    return { kind, version, law, formula, params, objective, converged, message, warnings, starts, optimizer, curves, date, bootstrap, notes, statistics, correlations };
  }

  /** Rebuilds a curve fit from `toJSON` output, or from a version 1 file. `source` names the file in errors. */
  static override fromJSON(json: unknown, source = 'fit'): CurveFit {
    if (typeof json !== 'object' || json === null) throw new InputError(`${source}: not a fit object: ${show(json)}`, 'kind');
    const record = json as Record<string, unknown>;
    if (record.kind !== 'curve-fit') throw new InputError(`${source}: kind must be "curve-fit", got ${show(record.kind)}`, 'kind');
    if (typeof record.law !== 'string') throw new InputError(`${source}: law must be a name, got ${show(record.law)}`, 'law');
    const law = getLaw(record.law);
    if (record.version === 1) return new CurveFit(fromVersion1(record, law, source));
    if (record.version !== 2) throw new InputError(`${source}: unsupported curve-fit version ${show(record.version)}`, 'version');
    const params = checkedParams(record, law, source);
    const typed = record as unknown as CurveFitRecord;
    checkedSamples(typed.bootstrap, params.length, source);
    const { kind: _kind, version: _version, ...rest } = typed;
    return new CurveFit({ ...rest, params });
  }

  protected dataLines(): string[] {
    const points = this.curves.reduce((a, c) => a + c.points, 0);
    return [
      ...(hasLaw(this.law) ? [`    law:         ${getLaw(this.law).description}`] : []),
      `    data:        ${this.curves.length} curves (${points} points)`,
      `    optimizer:   ${this.optimizer.name}${fmtSettings(this.optimizer.settings)}`,
    ];
  }

  protected override tailLines(): string[] {
    const width = Math.max(20, ...this.curves.map((c) => c.name.length));
    return ['[[Curves]]', ...this.curves.map((c) => `    ${c.name.padEnd(width)} ${String(c.points).padStart(5)} points  mean |L - Lhat| / L = ${c.meanRelativeError.toExponential(3)}`)];
  }
}

/**
 * A version 1 curve fit (before scaling and curve fits shared one record): params by name, values in
 * law order, names of fixed and at-bound parameters, the objective as a number and bootstrap vectors.
 */
function fromVersion1(record: Record<string, unknown>, law: Law<CurvePoints>, source: string): Omit<CurveFitRecord, 'kind' | 'version'> {
  const byName = record.params as Record<string, unknown> | undefined;
  if (!byName || typeof byName !== 'object') throw new InputError(`${source}: no params`, 'params');
  const fixed = new Set((record.fixed as string[] | undefined) ?? []);
  const atBound = new Set((record.atBound as string[] | undefined) ?? []);
  const values = law.params.map((p) => {
    const v = byName[p.name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${source}: params.${p.name}: not a finite number: ${show(v)}`, p.name);
    return v;
  });
  const old = record.bootstrap as { by: string; seed: number; values: number[][] } | undefined;
  const samples = old?.values ?? [];
  samples.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== values.length || !row.every(Number.isFinite)) {
      throw new InputError(`${source}: bootstrap.values[${r}]: expected ${values.length} finite numbers`, 'bootstrap');
    }
  });
  const level = 0.95;
  let params: FitParam[] = law.params.map((spec, j) => ({
    name: spec.name,
    value: values[j]!,
    min: fixed.has(spec.name) ? values[j]! : (spec.min ?? -Infinity),
    max: fixed.has(spec.name) ? values[j]! : (spec.max ?? Infinity),
    fixed: fixed.has(spec.name),
    atBound: atBound.has(spec.name),
  }));
  if (samples.length >= 2) params = withIntervals(params, samples, level);
  const loss = record.loss as { name: string; settings: Record<string, number> };
  const message = String(record.message ?? '');
  return {
    law: law.name,
    formula: law.formula,
    params,
    objective: { loss: loss.name, settings: { ...loss.settings }, space: 'log', value: typeof record.objective === 'number' ? record.objective : null },
    converged: record.converged === true,
    message,
    optimizer: { name: message.startsWith('AdamW') ? 'adamw-early-stopped' : 'lbfgsb', settings: {} },
    curves: (record.curves as CurveSummary[] | undefined) ?? [],
    date: String(record.date ?? ''),
    ...(old ? { bootstrap: { resamples: samples.length, seed: old.seed, level, by: old.by, samples } } : {}),
  };
}

/** Standard errors and percentile intervals at `level` of the free parameters, from bootstrap samples. */
export function withIntervals(params: readonly FitParam[], samples: readonly (readonly number[])[], level: number): FitParam[] {
  return params.map((param, j) => {
    if (param.fixed) return { ...param };
    const column = samples.map((s) => s[j]!).sort((a, b) => a - b);
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const stderr = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / (column.length - 1));
    return { ...param, stderr, interval: [quantile(column, (1 - level) / 2), quantile(column, (1 + level) / 2)] as const };
  });
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? x.toExponential(4) : Number(x.toPrecision(5)).toString();
}

function fmtSettings(settings: Readonly<Record<string, number>>): string {
  const entries = Object.entries(settings);
  return entries.length ? `(${entries.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Evaluates `law` at `p` on rows given by named columns; scalars broadcast to the longest column.
 * Checks the inputs with the law's `validate`.
 */
export function predictWith(law: Law<Inputs>, p: Float64Array, inputs: Readonly<Record<string, ArrayLike<number> | number>>): Float64Array {
  let length = 1;
  for (const name of law.inputs) {
    const v = inputs[name];
    if (v === undefined) throw new InputError(`predict: law ${show(law.name)} needs input ${name}; got ${Object.keys(inputs).join(', ') || '(none)'}`, name);
    if (typeof v !== 'number') length = Math.max(length, v.length);
  }
  const x: Record<string, Float64Array> = {};
  for (const name of law.inputs) {
    const v = inputs[name]!;
    if (typeof v === 'number') x[name] = new Float64Array(length).fill(v);
    else {
      if (v.length !== length) throw new InputError(`predict: input ${name} has ${v.length} values, expected ${length}`, name);
      x[name] = Float64Array.from(v);
    }
  }
  law.validate?.(x);
  const out = new Float64Array(length);
  law.evaluate(p, x, out);
  return out;
}
