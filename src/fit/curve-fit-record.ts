import { InputError, show } from '../core/errors.js';
import { getLaw } from '../laws/registry.js';
import type { CurveFit } from './fit-curves.js';

/**
 * A saved curve fit read back (from `JSON.parse` of a file written with `JSON.stringify(fit)`):
 * checks the kind, the version and that the law is known and its parameters are all there.
 */
export function curveFitFromJSON(json: unknown, source = 'fit'): CurveFit {
  if (json === null || typeof json !== 'object') throw new InputError(`${source}: not a curve fit: ${show(json)}`, 'fit');
  const record = json as Record<string, unknown>;
  if (record.kind !== 'curve-fit') throw new InputError(`${source}: kind is ${show(record.kind)}, expected "curve-fit"`, 'kind');
  if (record.version !== 1) throw new InputError(`${source}: unsupported curve-fit version ${show(record.version)}`, 'version');
  const law = getLaw(String(record.law));
  const params = record.params as Record<string, unknown> | undefined;
  if (!params || typeof params !== 'object') throw new InputError(`${source}: no params`, 'params');
  const values = law.params.map((p) => {
    const v = params[p.name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${source}: params.${p.name}: not a finite number: ${show(v)}`, p.name);
    return v;
  });
  const bootstrap = record.bootstrap as CurveFit['bootstrap'] | undefined;
  if (bootstrap) {
    bootstrap.values.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== values.length || !row.every(Number.isFinite)) {
        throw new InputError(`${source}: bootstrap.values[${r}]: expected ${values.length} finite numbers`, 'bootstrap');
      }
    });
  }
  return Object.freeze({ ...(record as unknown as CurveFit), values });
}

/** A human summary: the law, its parameters, the curves and how well each was fitted. */
export function curveFitReport(fit: CurveFit): string {
  const law = getLaw(fit.law);
  const lines = [`${law.description}`, `  ${law.formula ?? ''}`, ''];
  const sd = (j: number): string => {
    const rows = fit.bootstrap?.values;
    if (!rows || rows.length < 2) return '';
    const mean = rows.reduce((a, r) => a + r[j]!, 0) / rows.length;
    const v = rows.reduce((a, r) => a + (r[j]! - mean) ** 2, 0) / (rows.length - 1);
    return `  (bootstrap sd ${Math.sqrt(v).toPrecision(3)})`;
  };
  law.params.forEach((p, j) => {
    const tags = [fit.fixed.includes(p.name) ? 'fixed' : '', fit.atBound.includes(p.name) ? 'at bound' : ''].filter(Boolean).join(', ');
    lines.push(`  ${p.name.padEnd(7)} ${fit.values[j]!.toPrecision(6).padStart(12)}${sd(j)}${tags ? `  [${tags}]` : ''}`);
  });
  lines.push('', `objective ${fit.objective.toExponential(4)} (sum of ${fit.loss.name} on log residuals); ${fit.message}`);
  lines.push('curves:');
  for (const c of fit.curves) lines.push(`  ${c.name.padEnd(20)} ${String(c.points).padStart(5)} points  mean |L - Lhat| / L = ${c.meanRelativeError.toExponential(3)}`);
  return lines.join('\n');
}
