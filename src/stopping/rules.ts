// Every rule, for convenience: each lives in its own file.
export * from './predictive.js';
export * from './patience.js';
export * from './prechelt.js';
export * from './median.js';
export * from './asha.js';
