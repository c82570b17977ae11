import { InputError, show } from '../core/errors.js';
import type { Inputs, Law } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';

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
  /** Bootstrap standard error, when a bootstrap was run. */
  readonly stderr?: number;
  /** Bootstrap percentile interval at `bootstrap.level`. */
  readonly interval?: readonly [number, number];
}

/** Resampled parameter sets, kept so prediction and allocation intervals can be computed later. */
export interface BootstrapRecord {
  readonly resamples: number;
  readonly seed: number;
  /** Central level of the percentile intervals. */
  readonly level: number;
  /** Starts per resample (the full fit's distinct optima). */
  readonly starts: number;
  /** Resamples whose fit did not converge (still included). */
  readonly unconverged: number;
  /** samples[k] = parameter values of resample k, in the order of `params`. */
  readonly samples: readonly (readonly number[])[];
}

export interface FitRecord {
  readonly kind: 'scaling-fit';
  /** Format version; files of older versions keep loading. */
  readonly version: 1;
  readonly law: string;
  readonly formula?: string;
  readonly inputs: readonly string[];
  readonly params: readonly FitParam[];
  readonly objective: {
    readonly loss: string;
    readonly settings: Readonly<Record<string, number>>;
    readonly space: 'log' | 'linear';
    /** Objective at the optimum (null where not fitted, e.g. published values). */
    readonly value: number | null;
  };
  readonly converged: boolean;
  /** Why the best start stopped, or where the values came from. */
  readonly message: string;
  readonly starts: { readonly count: number; readonly converged: number };
  /** Distinct local optima found by the multistart, best first (natural units), for seeding resample fits. */
  readonly optima?: readonly (readonly number[])[];
  readonly data: {
    readonly source: string;
    readonly rows: number;
    /** Rows left out before the fit, with reasons. */
    readonly excluded?: readonly { readonly row: number; readonly reason: string }[];
  };
  /** ISO date of the fit (or of the publication, for published values). */
  readonly date: string;
  readonly bootstrap?: BootstrapRecord;
  /** Free text: citation, protocol. */
  readonly notes?: string;
}

/**
 * A fitted (or published) scaling law: an immutable record with `predict`, `report` and JSON round
 * trip. Load saved fits with `ScalingFit.fromJSON`.
 */
export class ScalingFit implements FitRecord {
  readonly kind = 'scaling-fit' as const;
  readonly version = 1 as const;
  readonly law!: string;
  readonly formula?: string;
  readonly inputs!: readonly string[];
  readonly params!: readonly FitParam[];
  readonly objective!: FitRecord['objective'];
  readonly converged!: boolean;
  readonly message!: string;
  readonly starts!: FitRecord['starts'];
  readonly optima?: FitRecord['optima'];
  readonly data!: FitRecord['data'];
  readonly date!: string;
  readonly bootstrap?: BootstrapRecord;
  readonly notes?: string;

  constructor(record: Omit<FitRecord, 'kind' | 'version'>) {
    Object.assign(this, deepFreeze(structuredClone({ ...record, kind: 'scaling-fit', version: 1 })));
    Object.freeze(this);
  }

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

  lawObject(): Law<Inputs> {
    return getLaw(this.law);
  }

  /** L at each row of `inputs` (columns named as the law's inputs), with the fitted values. */
  predict(inputs: Readonly<Record<string, ArrayLike<number> | number>>): Float64Array {
    return predictWith(this.lawObject(), this.vector(), inputs);
  }

  toJSON(): FitRecord {
    const { kind, version, law, formula, inputs, params, objective, converged, message, starts, optima, data, date, bootstrap, notes } = this;
    return { kind, version, law, formula, inputs, params, objective, converged, message, starts, optima, data, date, bootstrap, notes };
  }

  /** Rebuilds a fit from `toJSON` output (or a file's parsed text). `source` names the file in errors. */
  static fromJSON(json: unknown, source = 'fit'): ScalingFit {
    if (typeof json !== 'object' || json === null) throw new InputError(`${source}: not a fit object: ${show(json)}`, 'kind');
    const record = json as Partial<FitRecord>;
    if (record.kind !== 'scaling-fit') throw new InputError(`${source}: kind must be "scaling-fit", got ${show(record.kind)}`, 'kind');
    if (record.version !== 1) throw new InputError(`${source}: unsupported fit version ${show(record.version)}`, 'version');
    if (typeof record.law !== 'string') throw new InputError(`${source}: law must be a name, got ${show(record.law)}`, 'law');
    if (!Array.isArray(record.params)) throw new InputError(`${source}: params must be an array, got ${show(record.params)}`, 'params');
    const law = getLaw(record.law);
    const names = law.params.map((p) => p.name);
    const got = record.params.map((p) => p?.name);
    if (names.join() !== got.join()) throw new InputError(`${source}: params of law ${show(law.name)} must be ${names.join(', ')}; got ${show(got)}`, 'params');
    for (const p of record.params) {
      if (typeof p.value !== 'number' || !Number.isFinite(p.value)) throw new InputError(`${source}: parameter ${p.name}: value must be a finite number, got ${show(p.value)}`, p.name);
    }
    const { kind: _kind, version: _version, ...rest } = record as FitRecord;
    return new ScalingFit({
      ...rest,
      params: rest.params.map((p) => ({ ...p, min: p.min ?? -Infinity, max: p.max ?? Infinity })),
    });
  }

  /** A readable summary: formula, values with errors and intervals, convergence, data. */
  report(): string {
    const lines: string[] = [];
    lines.push(`[[Fit]] ${this.law}${this.formula ? `: ${this.formula}` : ''}`);
    lines.push(`    data:        ${this.data.source} (${this.data.rows} rows${this.data.excluded?.length ? `, ${this.data.excluded.length} excluded` : ''})`);
    lines.push(`    objective:   sum of ${this.objective.loss}${fmtSettings(this.objective.settings)} on ${this.objective.space} residuals = ${this.objective.value === null ? 'n/a' : this.objective.value.toPrecision(8)}`);
    lines.push(`    starts:      ${this.starts.count} (${this.starts.converged} converged)`);
    lines.push(`    status:      ${this.converged ? 'converged' : 'NOT CONVERGED'}: ${this.message}`);
    if (this.atBound.length) lines.push(`    warning:     ended on a bound: ${this.atBound.join(', ')} (the bound, not the data, set these values)`);
    lines.push(`    date:        ${this.date}`);
    lines.push(`[[Parameters]]${this.bootstrap ? ` (bootstrap: ${this.bootstrap.resamples} resamples, seed ${this.bootstrap.seed}, ${Math.round(this.bootstrap.level * 100)}% percentile intervals)` : ''}`);
    const width = Math.max(...this.params.map((p) => p.name.length));
    for (const p of this.params) {
      let line = `    ${p.name.padEnd(width)}  ${fmt(p.value)}`;
      if (p.fixed) line += ' (fixed)';
      if (p.stderr !== undefined) line += ` +/- ${fmt(p.stderr)}`;
      if (p.interval) line += `  [${fmt(p.interval[0])}, ${fmt(p.interval[1])}]`;
      if (p.atBound && !p.fixed) line += '  at bound';
      lines.push(line);
    }
    if (this.notes) lines.push(`[[Notes]]`, `    ${this.notes}`);
    return lines.join('\n');
  }
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
