// Every built-in law, in one list: the registry starts from it. Adding a law is one file and one line here.
import { accuracySigmoid } from './accuracy-sigmoid.js';
import { batchOptInC, bcritInD, bcritInN, lrOptInC, lrOptInN } from './batch-power.js';
import { chinchilla } from './chinchilla.js';
import { convexBound } from './convex-bound.js';
import { dataConstrained } from './data-constrained.js';
import { ensembleMembers } from './ensemble-members.js';
import { curveFamilies, flat } from './families.js';
import { kaplan } from './kaplan.js';
import { kaplanBcrit, kaplanLossSteps } from './kaplan-batch.js';
import type { Law } from './law.js';
import { momentum, momentumWarmup } from './momentum.js';
import { multiPower, multiPowerNoWarmup } from './multipower.js';
import { powerLaw } from './power.js';
import { sizeAware } from './size-aware.js';
import { stepsVsBatch } from './steps-vs-batch.js';

export const builtinLaws: readonly Law<any>[] = [
  // Scaling laws in parameters, data and compute.
  powerLaw('N'),
  powerLaw('D'),
  powerLaw('C'),
  chinchilla,
  kaplan,
  // Whole-loss-curve laws along a learning-rate schedule.
  multiPower,
  multiPowerNoWarmup,
  momentum,
  momentumWarmup,
  sizeAware,
  convexBound,
  // Batch-size and learning-rate laws.
  stepsVsBatch,
  kaplanBcrit,
  kaplanLossSteps,
  bcritInN,
  bcritInD,
  batchOptInC,
  lrOptInC,
  lrOptInN,
  // Learning-curve extrapolation families (Domhan et al. 2015).
  ...curveFamilies,
  flat,
  // Repeated data (Muennighoff et al. 2023).
  dataConstrained,
  // Downstream accuracy from task loss (Bhagia et al. 2024).
  accuracySigmoid,
  // Ensembles of K members at a fixed data budget (Kim et al. 2025).
  ensembleMembers,
];
