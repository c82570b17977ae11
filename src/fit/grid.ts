import { InputError, show } from '../core/errors.js';
import type { Law } from '../laws/law.js';

/**
 * Starting points for a multistart: the Cartesian product of each free parameter's grid, in natural
 * units, one row per start (fixed parameters carry their fixed value). A parameter with no grid
 * starts at its `init`, else at a point inside its bounds.
 *
 * @example startGrid(getLaw('chinchilla')).length // 4500
 */
export function startGrid(law: Law<any>, options: { grid?: Readonly<Record<string, readonly number[]>>; fixed?: Readonly<Record<string, number>> } = {}): Float64Array[] {
  const { grid = {}, fixed = {} } = options;
  for (const key of Object.keys(grid)) {
    if (!law.params.some((p) => p.name === key)) throw new InputError(`grid: law ${show(law.name)} has no parameter ${show(key)}`, 'grid');
  }
  const axes = law.params.map((spec): readonly number[] => {
    if (fixed[spec.name] !== undefined) return [fixed[spec.name]!];
    const values = grid[spec.name] ?? spec.grid ?? [defaultStart(spec.min, spec.max, spec.init)];
    if (values.length === 0) throw new InputError(`grid for ${spec.name}: no values`, spec.name);
    return values;
  });
  // The last parameter varies slowest, so the published Chinchilla order (alpha, beta outermost) reads naturally.
  let starts: number[][] = [[]];
  for (const axis of axes) {
    const next: number[][] = [];
    for (const value of axis) for (const prefix of starts) next.push([...prefix, value]);
    starts = next;
  }
  return starts.map((s) => Float64Array.from(s));
}

function defaultStart(min = -Infinity, max = Infinity, init?: number): number {
  if (init !== undefined) return init;
  if (Number.isFinite(min) && Number.isFinite(max)) return (min + max) / 2;
  if (Number.isFinite(min)) return min > 0 ? min * 2 : min + 1;
  if (Number.isFinite(max)) return max > 0 ? max / 2 : max - 1;
  return 1;
}
