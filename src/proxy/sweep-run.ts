import type { RunConfig, RunStatus } from '../core/run.js';
import type { LeaseState } from '../io/lease.js';
import type { RunStore } from '../io/store.js';
import type { TrainConfig } from './train-config.js';
import { train } from './lazy.js';

/** Lease settings of a sweep's claims. */
export interface ClaimSettings {
  owner: string;
  leaseSeconds: number;
}

/** What became of one run a sweep tried to train. */
export type RunOutcome =
  { type: 'done'; status: RunStatus; reason?: string; reclaimed?: boolean } | { type: 'skip'; reason: 'ended'; status: RunStatus } | { type: 'skip'; reason: 'busy'; holder: LeaseState };

/**
 * Claims one built-in run in the store and trains it: a run that has ended, or that a live
 * process holds, is skipped; a stale one is taken over, its partial trajectory kept apart. The
 * trainer writes through the claimed writer (the store it is given hands that writer out).
 */
export async function trainClaimed(store: RunStore, run: RunConfig, config: TrainConfig, settings: ClaimSettings, onStep?: (step: number, steps: number) => void): Promise<RunOutcome> {
  const claim = store.claim(run, { owner: settings.owner, leaseSeconds: settings.leaseSeconds, retry: ['failed'] });
  if (!claim.claimed) return claim.reason === 'ended' ? { type: 'skip', reason: 'ended', status: claim.status } : { type: 'skip', reason: 'busy', holder: claim.holder };
  const { writer } = claim;
  // `train` asks its store to begin the run (with the same config, resolved from the same
  // TrainConfig); this store hands over the run already claimed.
  const claimed: RunStore = Object.assign(Object.create(store) as RunStore, { begin: () => writer });
  try {
    // Every step renews the lease: a training loop that never yields cannot rely on a timer.
    const beat = (step: number, steps: number) => {
      writer.heartbeat();
      onStep?.(step, steps);
    };
    const { summary } = await train(config, { store: claimed, overwrite: true, onStep: beat });
    return { type: 'done', status: summary.status, ...(summary.reason ? { reason: summary.reason } : {}), ...(claim.reclaimed ? { reclaimed: true } : {}) };
  } finally {
    writer.close();
  }
}
