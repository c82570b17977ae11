// The numeric CSV parser now lives in csv.ts with the other CSV helpers; this path stays until
// its last importers (src/cli/curve.ts, src/reproductions/mpl-data.ts) import from csv.js.
export { parseNumericCsv, type NumericCsv } from './csv.js';
