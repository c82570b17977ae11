import { InputError, show } from '../core/errors.js';

/** A training budget as a user states it: FLOPs, or GPU-hours on a GPU of known peak rate. */
export interface BudgetInput {
  /** Training compute in FLOPs (C = 6 N D for a dense transformer). Give this or `gpuHours`. */
  compute?: number;
  /** GPU-hours to spend; needs `gpuFlops` to become FLOPs. */
  gpuHours?: number;
  /** Peak FLOP/s of one GPU in the training precision (e.g. 9.89e14 for an H100 SXM, dense BF16). */
  gpuFlops?: number;
  /** Fraction of peak the run achieves (model FLOP utilisation), in (0, 1]. @default 0.4 */
  utilization?: number;
  /** GPUs the run uses at once, for the wall-clock time. @default 1 */
  gpus?: number;
  /** Price of one GPU-hour, in the user's currency, for the cost. @default none (no cost) */
  price?: number;
}

/** The budget in FLOPs, with the time and money it takes where the GPU is known. */
export interface ComputeBudget {
  compute: number;
  gpuFlops?: number;
  utilization: number;
  gpus: number;
  /** GPU-hours: C / (gpuFlops x utilization) / 3600. */
  gpuHours?: number;
  /** Wall-clock hours: gpuHours / gpus. */
  wallHours?: number;
  /** gpuHours x price. */
  cost?: number;
  price?: number;
}

function positive(name: string, value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InputError(`${name} must be ${what}; got ${show(value)}`, name);
  return value;
}

/**
 * Turns a stated budget into FLOPs and, where a GPU is given, GPU-hours, wall-clock and cost.
 * A GPU-hour budget without the GPU's FLOP rate cannot be converted and is refused.
 */
export function resolveBudget(input: BudgetInput): ComputeBudget {
  const { compute, gpuHours, gpuFlops, utilization = 0.4, gpus = 1, price } = input;
  if (compute === undefined && gpuHours === undefined) throw new InputError('budget: give compute (FLOPs) or gpuHours (with gpuFlops)', 'compute');
  if (compute !== undefined && gpuHours !== undefined) throw new InputError(`budget: give compute or gpuHours, not both; got compute = ${show(compute)} and gpuHours = ${show(gpuHours)}`, 'compute');
  if (typeof utilization !== 'number' || !(utilization > 0 && utilization <= 1)) throw new InputError(`utilization must be in (0, 1]; got ${show(utilization)}`, 'utilization');
  if (!Number.isInteger(gpus) || gpus < 1) throw new InputError(`gpus must be a positive integer; got ${show(gpus)}`, 'gpus');
  if (price !== undefined && (typeof price !== 'number' || !Number.isFinite(price) || price < 0)) throw new InputError(`price must be a non-negative number per GPU-hour; got ${show(price)}`, 'price');
  if (gpuFlops !== undefined) positive('gpuFlops', gpuFlops, 'a positive FLOP/s rate');
  let flops: number;
  if (gpuHours !== undefined) {
    positive('gpuHours', gpuHours, 'a positive number of GPU-hours');
    if (gpuFlops === undefined) {
      throw new InputError(`a GPU-hour budget needs the GPU's peak FLOP/s (gpuFlops, --gpu-flops); got gpuHours = ${show(gpuHours)} and no gpuFlops`, 'gpuFlops');
    }
    flops = gpuHours * 3600 * gpuFlops * utilization;
  } else {
    flops = positive('compute', compute, 'a positive number of FLOPs');
  }
  const budget: ComputeBudget = { compute: flops, utilization, gpus };
  if (gpuFlops !== undefined) {
    budget.gpuFlops = gpuFlops;
    budget.gpuHours = gpuHours ?? flops / (gpuFlops * utilization) / 3600;
    budget.wallHours = budget.gpuHours / gpus;
    if (price !== undefined) {
      budget.price = price;
      budget.cost = budget.gpuHours * price;
    }
  }
  return budget;
}
