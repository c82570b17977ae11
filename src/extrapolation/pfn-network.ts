import { InputError, show } from '../core/errors.js';
import { PFN_FEATURES, PFN_OUTPUT_BINS } from './pfn-features.js';

/**
 * The learning-curve PFN's network as data, and its forward pass in plain TypeScript: a multilayer
 * perceptron (dense layers, ReLU between them) from `PFN_FEATURES` inputs to `PFN_OUTPUT_BINS`
 * logits, run on a batch of rows at once in Float32Arrays. The trainer (src/proxy/pfn/) writes
 * the same layers with TensorFlow.js; a test checks that both give the same logits.
 */

/** One dense layer: out = act(in W + b), W row-major [inputs x outputs]. */
export interface PfnLayer {
  inputs: number;
  outputs: number;
  activation: 'relu' | 'linear';
  kernel: Float32Array;
  bias: Float32Array;
}

/** The weights file: the layers (base64 little-endian float32) and how they were made. */
export interface PfnWeightsFile {
  format: 'scalelaw-pfn';
  /** Version of the file layout. */
  formatVersion: 1;
  /** Version of the prior the network was trained on (`PFN_PRIOR_VERSION`). */
  priorVersion: number;
  features: number;
  outputBins: number;
  layers: { inputs: number; outputs: number; activation: 'relu' | 'linear'; kernel: string; bias: string }[];
  /** How the weights were made: command, seed, steps, curves seen, seconds, backend, date, losses. */
  training: Record<string, unknown>;
}

export interface PfnNetwork {
  layers: readonly PfnLayer[];
  priorVersion: number;
  training: Readonly<Record<string, unknown>>;
}

export function encodeFloat32(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function decodeFloat32(s: string, length: number, what: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length !== length * 4) throw new InputError(`pfn weights: ${what}: expected ${length} floats, got ${bytes.length / 4}`, 'weights');
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Reads a weights file's JSON into a network, checking shapes. */
export function parsePfnWeights(json: PfnWeightsFile): PfnNetwork {
  if (json.format !== 'scalelaw-pfn' || json.formatVersion !== 1) throw new InputError(`pfn weights: not a scalelaw-pfn file of format 1: ${show(json.format)} ${show(json.formatVersion)}`, 'weights');
  if (json.features !== PFN_FEATURES || json.outputBins !== PFN_OUTPUT_BINS) {
    throw new InputError(`pfn weights: made for ${json.features} features and ${json.outputBins} bins, this version uses ${PFN_FEATURES} and ${PFN_OUTPUT_BINS}`, 'weights');
  }
  let width = PFN_FEATURES;
  const layers = json.layers.map((l, i) => {
    if (l.inputs !== width) throw new InputError(`pfn weights: layer ${i + 1} takes ${l.inputs} inputs, expected ${width}`, 'weights');
    width = l.outputs;
    return {
      inputs: l.inputs,
      outputs: l.outputs,
      activation: l.activation,
      kernel: decodeFloat32(l.kernel, l.inputs * l.outputs, `layer ${i + 1} kernel`),
      bias: decodeFloat32(l.bias, l.outputs, `layer ${i + 1} bias`),
    };
  });
  if (width !== PFN_OUTPUT_BINS) throw new InputError(`pfn weights: last layer gives ${width} outputs, expected ${PFN_OUTPUT_BINS}`, 'weights');
  return { layers, priorVersion: json.priorVersion, training: json.training };
}

/**
 * Logits of a batch: `x` holds `rows` rows of `PFN_FEATURES` features; returns rows x
 * PFN_OUTPUT_BINS logits. Matrix products go row by row with the kernel read in order (i-k-j), so
 * the inner loop is a contiguous multiply-add the JIT vectorises.
 */
export function pfnLogits(net: PfnNetwork, x: Float32Array, rows: number): Float32Array {
  let input = x;
  for (const layer of net.layers) {
    const { inputs: I, outputs: O, kernel: W, bias: b } = layer;
    const out = new Float32Array(rows * O);
    for (let r = 0; r < rows; r++) {
      const o = r * O;
      out.set(b, o);
      const xi = r * I;
      for (let i = 0; i < I; i++) {
        const v = input[xi + i]!;
        if (v === 0) continue;
        const w = i * O;
        for (let j = 0; j < O; j++) out[o + j]! += v * W[w + j]!;
      }
      if (layer.activation === 'relu') for (let j = 0; j < O; j++) if (out[o + j]! < 0) out[o + j] = 0;
    }
    input = out;
  }
  return input;
}
