import { describe, expect, it } from 'vitest';
import { resolveBudget } from '../../src/plan/budget.js';

describe('resolveBudget', () => {
  it('takes FLOPs as given and derives time and cost when the GPU is known', () => {
    const b = resolveBudget({ compute: 3.6e21, gpuFlops: 1e15, utilization: 0.5, gpus: 8, price: 2 });
    expect(b.compute).toBe(3.6e21);
    // 3.6e21 / (1e15 * 0.5) s = 7.2e6 s = 2000 GPU-hours; 250 h on 8 GPUs; 4000 at 2 per GPU-hour.
    expect(b.gpuHours).toBeCloseTo(2000, 9);
    expect(b.wallHours).toBeCloseTo(250, 9);
    expect(b.cost).toBeCloseTo(4000, 9);
  });
  it('turns GPU-hours into FLOPs at the stated utilisation (default 0.4)', () => {
    const b = resolveBudget({ gpuHours: 1000, gpuFlops: 1e15 });
    expect(b.compute).toBeCloseTo(1000 * 3600 * 1e15 * 0.4, -10);
    expect(b.gpuHours).toBe(1000);
    expect(b.cost).toBeUndefined();
  });
  it('has no time without a GPU rate', () => {
    expect(resolveBudget({ compute: 1e23 })).toEqual({ compute: 1e23, utilization: 0.4, gpus: 1 });
  });
  it('refuses bad budgets with messages that echo the value', () => {
    expect(() => resolveBudget({ compute: 0 })).toThrow('compute must be a positive number of FLOPs; got 0');
    expect(() => resolveBudget({ compute: -1e20 })).toThrow('compute must be a positive number of FLOPs; got -100000000000000000000');
    expect(() => resolveBudget({ compute: Number.NaN })).toThrow('compute must be a positive number of FLOPs; got NaN');
    expect(() => resolveBudget({})).toThrow('budget: give compute (FLOPs) or gpuHours (with gpuFlops)');
    expect(() => resolveBudget({ compute: 1e23, gpuHours: 5 })).toThrow('budget: give compute or gpuHours, not both; got compute = 1e+23 and gpuHours = 5');
    expect(() => resolveBudget({ gpuHours: 1000 })).toThrow("a GPU-hour budget needs the GPU's peak FLOP/s (gpuFlops, --gpu-flops); got gpuHours = 1000 and no gpuFlops");
    expect(() => resolveBudget({ gpuHours: -3, gpuFlops: 1e15 })).toThrow('gpuHours must be a positive number of GPU-hours; got -3');
    expect(() => resolveBudget({ compute: 1e23, utilization: 1.5 })).toThrow('utilization must be in (0, 1]; got 1.5');
    expect(() => resolveBudget({ compute: 1e23, gpus: 2.5 })).toThrow('gpus must be a positive integer; got 2.5');
    expect(() => resolveBudget({ compute: 1e23, gpuFlops: 0 })).toThrow('gpuFlops must be a positive FLOP/s rate; got 0');
    expect(() => resolveBudget({ compute: 1e23, gpuFlops: 1e15, price: -1 })).toThrow('price must be a non-negative number per GPU-hour; got -1');
  });
});
