import { InputError, show } from '../core/errors.js';
import { rng, type Rng } from '../core/rng.js';

/**
 * A sparse random Markov source of order k over a small vocabulary, with Zipf-like transitions:
 * each context of k tokens allows `branching` successors, drawn at random, with probabilities
 * proportional to 1 / rank^zipf. Its entropy rate is known exactly, so the irreducible loss that a
 * scaling law fits can be checked against the truth.
 */
export interface MarkovOptions {
  /** Vocabulary size. @default 8 */
  vocab?: number;
  /** Order k: how many previous tokens the next one depends on. @default 2 */
  order?: number;
  /** Allowed successors per context. @default 3 */
  branching?: number;
  /** Zipf exponent s of the successor probabilities p_r ∝ r^-s. @default 1 */
  zipf?: number;
  /** Seed of the language itself (its transition table). @default 0 */
  seed?: number;
}

export interface MarkovLanguage {
  vocab: number;
  order: number;
  /** Entropy rate in nats per token: sum over contexts of pi(c) H(next | c). */
  entropyRate: number;
  /** Stationary distribution over the vocab^order contexts. */
  stationary: Float64Array;
  /** A sequence of `length` tokens from the stationary process. */
  sample(random: Rng, length: number, out?: Int32Array, offset?: number): Int32Array;
}

export function markovLanguage(options: MarkovOptions = {}): MarkovLanguage {
  const { vocab = 8, order = 2, branching = 3, zipf = 1, seed = 0 } = options;
  const int = (v: number, name: string, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new InputError(`data.${name}: expected an integer in [${min}, ${max}], got ${show(v)}`, `data.${name}`);
  };
  int(vocab, 'vocab', 2, 256);
  int(order, 'order', 1, 4);
  int(branching, 'branching', 1, vocab);
  if (!(Number.isFinite(zipf) && zipf >= 0)) throw new InputError(`data.zipf: expected a number >= 0, got ${show(zipf)}`, 'data.zipf');
  const states = vocab ** order;
  if (states > 1 << 20) throw new InputError(`data: vocab^order = ${states} contexts is too many (at most ${1 << 20})`, 'data.order');

  const random = rng(seed);
  const ranks = Float64Array.from({ length: branching }, (_, r) => (r + 1) ** -zipf);
  const norm = ranks.reduce((a, b) => a + b, 0);
  const next = new Int32Array(states * branching);
  const prob = new Float64Array(states * branching);
  const tokens = Array.from({ length: vocab }, (_, i) => i);
  for (let s = 0; s < states; s++) {
    random.shuffle(tokens);
    for (let r = 0; r < branching; r++) {
      next[s * branching + r] = tokens[r]!;
      prob[s * branching + r] = ranks[r]! / norm;
    }
  }

  // Stationary distribution by power iteration on the lazy chain (P + I) / 2, which has the same
  // fixed points as P but converges even when P is periodic. Started from uniform.
  let pi = new Float64Array(states).fill(1 / states);
  let nextPi = new Float64Array(states);
  for (let iter = 0; iter < 100000; iter++) {
    for (let s = 0; s < states; s++) nextPi[s] = 0.5 * pi[s]!;
    for (let s = 0; s < states; s++) {
      const base = (s * vocab) % states;
      const mass = 0.5 * pi[s]!;
      for (let r = 0; r < branching; r++) nextPi[base + next[s * branching + r]!]! += mass * prob[s * branching + r]!;
    }
    let delta = 0;
    for (let s = 0; s < states; s++) delta += Math.abs(nextPi[s]! - pi[s]!);
    [pi, nextPi] = [nextPi, pi];
    if (delta < 1e-14) break;
  }

  // Every context has the same successor distribution up to order, so H(next | c) is one number,
  // but sum it per context anyway: the formula stays right if transitions are ever made uneven.
  let entropyRate = 0;
  for (let s = 0; s < states; s++) {
    let h = 0;
    for (let r = 0; r < branching; r++) {
      const p = prob[s * branching + r]!;
      if (p > 0) h -= p * Math.log(p);
    }
    entropyRate += pi[s]! * h;
  }

  const cumulative = new Float64Array(states);
  let acc = 0;
  for (let s = 0; s < states; s++) cumulative[s] = acc += pi[s]!;
  const stationary = pi;

  return {
    vocab,
    order,
    entropyRate,
    stationary,
    sample(random, length, out = new Int32Array(length), offset = 0) {
      // First context from the stationary distribution, so every position is stationary.
      const u = random.next() * acc;
      let lo = 0,
        hi = states - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      let state = lo;
      for (let i = 0; i < Math.min(order, length); i++) {
        out[offset + i] = Math.floor(state / vocab ** (order - 1 - i)) % vocab;
      }
      for (let i = order; i < length; i++) {
        const v = random.next();
        let r = 0,
          c = prob[state * branching]!;
        while (v >= c && r < branching - 1) c += prob[state * branching + ++r]!;
        const token = next[state * branching + r]!;
        out[offset + i] = token;
        state = (state * vocab + token) % states;
      }
      return out;
    },
  };
}
