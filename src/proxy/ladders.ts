import { InputError, show } from '../core/errors.js';
import type { Parameterization, TransformerConfig } from './model-config.js';

/**
 * Model ladders of the shapes the literature trains. Shapes only (depth, width, heads); context,
 * parameterisation and the MLP ratio come from the options, so the same ladder serves any data.
 *
 * - 'pythia': the ten Pythia models (Biderman et al. 2023, Table 1: 14M-12B; d_model, n_layers,
 *   n_heads as released).
 * - 'olmo': OLMo 1B and 7B (Groeneveld et al. 2024, Table 1).
 * - 'su-1m-60m': six models from ~1M to ~50M non-embedding parameters (12 L d^2), the range of
 *   Su et al. 2024's proxies, at width / depth 64 (Pythia-160M's aspect ratio, inside the 20-200
 *   band where Kaplan et al. 2020, Fig. 5, found loss insensitive to shape), head width 64.
 * - 'tiny': 13k-790k non-embedding parameters for CPU proxies: widths 32-128 at width
 *   / depth ~32 with heads of width 16 (the smallest shapes that still have several heads).
 */
export const ladderNames = ['pythia', 'olmo', 'su-1m-60m', 'tiny'] as const;
/** One of `ladderNames`. */
export type LadderName = (typeof ladderNames)[number];

const shapes: Record<LadderName, [depth: number, width: number, heads: number][]> = {
  pythia: [
    [6, 128, 4],
    [6, 256, 8],
    [6, 512, 8],
    [12, 768, 12],
    [24, 1024, 16],
    [16, 2048, 8],
    [24, 2048, 16],
    [32, 2560, 32],
    [32, 4096, 32],
    [36, 5120, 40],
  ],
  olmo: [
    [16, 2048, 16],
    [32, 4096, 32],
  ],
  'su-1m-60m': [
    [3, 192, 3],
    [4, 256, 4],
    [5, 320, 5],
    [6, 384, 6],
    [8, 512, 8],
    [10, 640, 10],
  ],
  tiny: [
    [1, 32, 2],
    [2, 48, 3],
    [2, 64, 4],
    [3, 96, 6],
    [4, 128, 8],
  ],
};

/** What a ladder leaves to the caller: context, parameterisation, MLP ratio. */
export interface LadderOptions {
  /** Context length of every model. */
  context: number;
  /** @default 'standard' */
  parameterization?: Parameterization;
  /** muP base width. @default the ladder's smallest width */
  baseWidth?: number;
  /** @default 4 */
  mlpRatio?: number;
}

/** The transformer configs of a named ladder, smallest first. */
export function modelLadder(name: LadderName, options: LadderOptions): TransformerConfig[] {
  const rungs = shapes[name];
  if (!rungs) throw new InputError(`ladder: unknown ladder ${show(name)}; expected one of ${ladderNames.join(', ')}`, 'ladder');
  const { context, parameterization = 'standard', mlpRatio = 4 } = options;
  const baseWidth = options.baseWidth ?? rungs[0]![1];
  return rungs.map(([depth, width, heads]) => ({
    family: 'transformer',
    width,
    depth,
    heads,
    context,
    mlpRatio,
    ...(parameterization === 'mup' ? { parameterization, baseWidth } : {}),
  }));
}
