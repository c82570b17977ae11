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

/** One network's layers in a weights file (base64 little-endian float32). */
export type PfnLayerFile = { inputs: number; outputs: number; activation: 'relu' | 'linear'; kernel: string; bias: string };

/** The weights file of one network (what `npm run train:pfn` writes): its layers and how they were made. */
export interface PfnWeightsFile {
  format: 'scalelaw-pfn';
  /** Version of the file layout. */
  formatVersion: 1;
  /** Version of the prior the network was trained on (`PFN_PRIOR_VERSION`). */
  priorVersion: number;
  features: number;
  outputBins: number;
  layers: PfnLayerFile[];
  /** How the weights were made: command, seed, steps, curves seen, seconds, backend, date, losses. */
  training: Record<string, unknown>;
}

/**
 * The weights file of an ensemble: networks trained on one prior from different seeds, each with
 * the record of how it was made (`npm run train:pfn -- --combine` writes it).
 */
export interface PfnEnsembleFile {
  format: 'scalelaw-pfn';
  formatVersion: 2;
  priorVersion: number;
  features: number;
  outputBins: number;
  members: { layers: PfnLayerFile[]; training: Record<string, unknown> }[];
  /** The command that combined the members. */
  combined: string;
}

/** One trained network. */
export interface PfnNetwork {
  layers: readonly PfnLayer[];
  priorVersion: number;
  training: Readonly<Record<string, unknown>>;
}

/**
 * Networks trained on the same prior from different seeds. Their predictive is the equal-weight
 * mixture of the members' (a deep ensemble, Lakshminarayanan et al. 2017): each member is an
 * approximation of the same posterior predictive, and the mixture averages out the error of any
 * one training.
 */
export interface PfnEnsemble {
  members: readonly PfnNetwork[];
  priorVersion: number;
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

/**
 * Reads a weights file's JSON, of one network (format 1) or an ensemble (format 2), into an
 * ensemble (of one member for format 1), checking shapes.
 */
export function parsePfnWeights(json: PfnWeightsFile | PfnEnsembleFile): PfnEnsemble {
  if (json.format !== 'scalelaw-pfn' || !(json.formatVersion === 1 || json.formatVersion === 2)) {
    throw new InputError(`pfn weights: not a scalelaw-pfn file of format 1 or 2: ${show(json.format)} ${show(json.formatVersion)}`, 'weights');
  }
  if (json.features !== PFN_FEATURES || json.outputBins !== PFN_OUTPUT_BINS) {
    throw new InputError(`pfn weights: made for ${json.features} features and ${json.outputBins} bins, this version uses ${PFN_FEATURES} and ${PFN_OUTPUT_BINS}`, 'weights');
  }
  const members = json.formatVersion === 1 ? [{ layers: json.layers, training: json.training }] : json.members;
  if (!Array.isArray(members) || members.length === 0) throw new InputError(`pfn weights: members: expected one or more networks, got ${show(members)}`, 'weights');
  return {
    priorVersion: json.priorVersion,
    members: members.map((m, k) => ({ layers: parseLayers(m.layers, members.length > 1 ? `member ${k + 1} ` : ''), priorVersion: json.priorVersion, training: m.training ?? {} })),
  };
}

function parseLayers(file: readonly PfnLayerFile[], member: string): PfnLayer[] {
  let width = PFN_FEATURES;
  const layers = file.map((l, i) => {
    if (l.inputs !== width) throw new InputError(`pfn weights: ${member}layer ${i + 1} takes ${l.inputs} inputs, expected ${width}`, 'weights');
    width = l.outputs;
    return {
      inputs: l.inputs,
      outputs: l.outputs,
      activation: l.activation,
      kernel: decodeFloat32(l.kernel, l.inputs * l.outputs, `${member}layer ${i + 1} kernel`),
      bias: decodeFloat32(l.bias, l.outputs, `${member}layer ${i + 1} bias`),
    };
  });
  if (width !== PFN_OUTPUT_BINS) throw new InputError(`pfn weights: ${member}last layer gives ${width} outputs, expected ${PFN_OUTPUT_BINS}`, 'weights');
  return layers;
}

/** A network or an ensemble as an ensemble (a network is an ensemble of one). */
export const asEnsemble = (model: PfnNetwork | PfnEnsemble): PfnEnsemble => ('members' in model ? model : { members: [model], priorVersion: model.priorVersion });

/**
 * Bin probabilities of a batch (rows x PFN_OUTPUT_BINS, each row summing to 1): the softmax of each
 * member's logits, averaged over the members.
 */
export function pfnProbabilities(model: PfnNetwork | PfnEnsemble, x: Float32Array, rows: number): Float64Array {
  const { members } = asEnsemble(model);
  const B = PFN_OUTPUT_BINS;
  const out = new Float64Array(rows * B);
  const e = new Float64Array(B);
  for (const net of members) {
    const logits = pfnLogits(net, x, rows);
    for (let r = 0; r < rows; r++) {
      const o = r * B;
      let max = -Infinity;
      for (let j = 0; j < B; j++) max = Math.max(max, logits[o + j]!);
      let total = 0;
      for (let j = 0; j < B; j++) total += e[j] = Math.exp(logits[o + j]! - max);
      const scale = 1 / (total * members.length);
      for (let j = 0; j < B; j++) out[o + j]! += e[j]! * scale;
    }
  }
  return out;
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
