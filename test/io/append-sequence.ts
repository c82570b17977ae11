import type { TrajectoryPoint } from '../../src/core/run.js';

/** The i-th point the crash-test child appends; long lines make a torn write more likely. */
export function expectedPoint(i: number): TrajectoryPoint {
  const point: TrajectoryPoint = { step: i * 10, trainLoss: 10 / (i + 1), lr: 1e-3 };
  for (let k = 0; k < 40; k++) point[`metric${k}`] = i + k / 100;
  return point;
}
