// The public API: re-exports only.
import './builtins.js';
export * from './core/errors.js';
export * from './core/rng.js';
export * from './core/warn.js';
export * from './core/run.js';
export * from './core/observations.js';
export * from './core/reproductions.js';
export * from './schedules/spec.js';
export * from './laws/law.js';
export * from './laws/registry.js';
export * from './io/store.js';
export * from './io/runs-table.js';
export { writeFileAtomic } from './io/atomic.js';
export * from './schedules/schedule.js';
export * from './schedules/custom.js';
