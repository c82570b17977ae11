// ESLint flat config: the recommended JavaScript and typescript-eslint rules (syntax only, no type
// information, so a lint needs no type-check), with the exceptions this code base needs listed and
// explained below. `npm run lint` runs it; `npm test` runs it after the type-check.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'bench/out/', 'notebooks/*.ipynb', 'runs/', 'scalelaw-demo/', 'tmp/', '.scratch*/', '.device/', '.gl/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A law registry holds laws of every input type (Law<any>); tfjs and JSON boundaries need it too.
      '@typescript-eslint/no-explicit-any': 'off',
      // Typed-array indexing under noUncheckedIndexedAccess: `x[i]!` where the bounds are known.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Unused names are errors, except a deliberately ignored one spelled with a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `let { value, lower, upper } = estimate` where only some are reassigned reads better than two statements.
      'prefer-const': ['error', { destructuring: 'all' }],
      // `cond ? a.push(x) : b.push(y)` is used for two-way splits.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // Tests match aligned report columns with regexes: the runs of spaces are the layout being checked.
      'no-regex-spaces': 'off',
    },
  },
  {
    // Plain JavaScript (bin/, this file) runs on Node; TypeScript files get their globals from @types/node.
    files: ['**/*.js'],
    languageOptions: { globals: { URL: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  {
    // A notebook cell ends with a bare expression: that is the value the cell displays.
    files: ['notebooks/src/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
