/** One published figure next to ours. */
export interface ReproducedMetric {
  metric: string;
  published: number;
  ours: number;
  /** Optional note (units, protocol detail). */
  note?: string;
}

/**
 * A published protocol that runs on bundled data (`scalelaw reproduce <id>`).
 */
export interface Reproduction {
  id: string;
  /** One line: the paper, the data and what is compared. */
  description: string;
  /** `onWarning` hears every fit that stopped on a cap or a bound or left a parameter unidentified. */
  run(options?: { seed?: number; onProgress?: (message: string) => void; onWarning?: (message: string) => void }): Promise<ReproducedMetric[]>;
}
