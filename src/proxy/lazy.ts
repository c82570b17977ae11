import type { TrainOptions, TrainResult } from './trainer.js';
import type { TrainConfig } from './train-config.js';

/**
 * `train`, loading TensorFlow.js only when a run starts: the package entry and the CLI stay free of
 * it (importing it costs seconds), and only `src/proxy/` ever imports it.
 */
export async function train(config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const trainer = await import('./trainer.js');
  return trainer.train(config, options);
}
