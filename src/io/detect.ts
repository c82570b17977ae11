/**
 * Recognising columns by their usual names. Names are compared after lower-casing and removing
 * spaces, underscores, hyphens, dots and slashes, so `Model Size`, `model_size` and `modelSize` match.
 */

/** Roles a column of an observation table or a trajectory file can play. */
export type ColumnRole = 'N' | 'D' | 'C' | 'loss' | 'run' | 'step' | 'tokens' | 'flops' | 'lr' | 'trainLoss' | 'evalLoss' | 'batchSize' | 'seqLen' | 'seed';

/** Usual names for each role, in order of preference. */
export const COLUMN_NAMES: Readonly<Record<ColumnRole, readonly string[]>> = {
  N: ['N', 'params', 'n_params', 'num_params', 'nparams', 'Model Size', 'model_size', 'parameters', 'num_parameters', 'n_parameters', 'param_count', 'non_embedding_params'],
  D: ['D', 'tokens', 'n_tokens', 'num_tokens', 'Training Tokens', 'train_tokens', 'tokens_seen', 'dataset_size', 'data_size', 'samples', 'n_samples'],
  C: ['C', 'FLOPs', 'flops', 'Training FLOP', 'Training FLOPs', 'train_flops', 'compute', 'total_flops', 'C_flops'],
  loss: ['loss', 'eval_loss', 'val_loss', 'validation loss', 'valid_loss', 'test_loss', 'final_loss', 'eval/loss', 'val/loss', 'train_loss', 'training loss', 'train/loss'],
  run: ['run', 'run_id', 'run_name', 'runid', 'name', 'id', 'experiment', 'model'],
  step: ['step', '_step', 'Step', 'iteration', 'iter', 'global_step', 'trainer/global_step', 'epoch'],
  tokens: ['tokens', 'tokens_seen', 'consumed_tokens', 'n_tokens', 'num_tokens'],
  flops: ['flops', 'FLOPs', 'compute', 'total_flops'],
  lr: ['lr', 'learning_rate', 'learning rate', 'train/lr', 'train/learning_rate'],
  trainLoss: ['train_loss', 'training loss', 'train/loss', 'loss/train', 'trainLoss', 'training_loss'],
  evalLoss: ['eval_loss', 'val_loss', 'validation loss', 'valid_loss', 'validation_loss', 'test_loss', 'eval/loss', 'val/loss', 'loss/val', 'loss/eval', 'evalLoss'],
  batchSize: ['batch_size', 'batchSize', 'bs', 'batch'],
  seqLen: ['seq_len', 'seqLen', 'sequence_length', 'context_length', 'block_size'],
  seed: ['seed', 'random_seed'],
};

/** The comparison key of a column name. */
export const normalizeName = (name: string): string => name.toLowerCase().replace(/[\s_\-./]+/g, '');

/**
 * The column among `names` that plays `role`: the first usual name (in preference order) that
 * matches, else `undefined`. Columns already taken by another role are skipped.
 */
export function detectColumn(names: readonly string[], role: ColumnRole, taken: ReadonlySet<string> = new Set()): string | undefined {
  const byKey = new Map<string, string>();
  for (const name of names) if (!taken.has(name) && !byKey.has(normalizeName(name))) byKey.set(normalizeName(name), name);
  for (const candidate of COLUMN_NAMES[role]) {
    const found = byKey.get(normalizeName(candidate));
    if (found !== undefined) return found;
  }
  if (role === 'loss') {
    // Last resort for observation tables: the only column whose name mentions loss (`target_c4_val_loss`).
    const losses = names.filter((n) => !taken.has(n) && normalizeName(n).includes('loss'));
    if (losses.length === 1) return losses[0];
  }
  return undefined;
}

/**
 * Assigns columns to `roles` in order: an explicit mapping wins, then detection. Returns the
 * mapping found (roles with no column are absent). Explicit names are not checked here.
 */
export function detectColumns<R extends ColumnRole>(names: readonly string[], roles: readonly R[], explicit: Partial<Record<R, string>> = {}): Partial<Record<R, string>> {
  const found: Partial<Record<R, string>> = {};
  const taken = new Set<string>(Object.values(explicit).filter((v): v is string => typeof v === 'string'));
  for (const role of roles) {
    const given = explicit[role];
    if (given !== undefined) {
      found[role] = given;
      continue;
    }
    const column = detectColumn(names, role, taken);
    if (column !== undefined) {
      found[role] = column;
      taken.add(column);
    }
  }
  return found;
}
