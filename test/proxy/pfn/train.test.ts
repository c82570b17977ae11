import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PFN_FEATURES, PFN_OUTPUT_BINS } from '../../../src/extrapolation/pfn-features.js';
import { parsePfnWeights, pfnLogits, type PfnWeightsFile } from '../../../src/extrapolation/pfn-network.js';
import { PFN_PRIOR_VERSION } from '../../../src/extrapolation/pfn-prior.js';
import { tf, useBackend } from '../../../src/proxy/backend.js';
import { layersOf, pfnModel } from '../../../src/proxy/pfn/model.js';
import { priorBatch } from '../../../src/proxy/pfn/sampler.js';
import { combinePfn, trainPfn } from '../../../src/proxy/pfn/train.js';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pfn-train-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('learning-curve PFN in TensorFlow.js', () => {
  it('gives the logits the plain TypeScript forward pass gives on the same weights', async () => {
    await useBackend('cpu');
    const model = pfnModel([32, 16], 7);
    const { x } = priorBatch(64, 3);
    const expected = model.logits(tf.tensor2d(x, [64, PFN_FEATURES]));
    const want = expected.dataSync();
    expected.dispose();
    const got = pfnLogits({ layers: await layersOf(model), priorVersion: PFN_PRIOR_VERSION, training: {} }, x, 64);
    expect(got.length).toBe(64 * PFN_OUTPUT_BINS);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
    expect(worst).toBeLessThan(1e-5);
  });

  it('resumes from its checkpoint to the same weights as an uninterrupted run, and records how it was made', async () => {
    const common = { steps: 4, batch: 16, hidden: [8], every: 2, seed: 5, backend: 'cpu' as const };
    const a = temp(),
      b = temp();
    const whole = await trainPfn({ ...common, dir: a, out: join(a, 'w.json') });
    expect(whole.step).toBe(4);
    expect(whole.curvesSeen).toBe(64);
    // Interrupted after 3 steps (the checkpoint is written at the end of an invocation too), then resumed.
    const first = await trainPfn({ ...common, dir: b, out: join(b, 'w.json'), until: 3 });
    expect(first.step).toBe(3);
    const resumed = await trainPfn({ ...common, dir: b, out: join(b, 'w.json') });
    expect(resumed.step).toBe(4);
    expect(resumed.curvesSeen).toBe(64);
    const wa = JSON.parse(readFileSync(join(a, 'w.json'), 'utf8')) as PfnWeightsFile;
    const wb = JSON.parse(readFileSync(join(b, 'w.json'), 'utf8')) as PfnWeightsFile;
    expect(wb.layers).toEqual(wa.layers);
    expect(wa.priorVersion).toBe(PFN_PRIOR_VERSION);
    expect(wa.training).toMatchObject({ seed: 5, step: 4, steps: 4, curvesSeen: 64, backends: ['cpu'] });
    expect(parsePfnWeights(wa).members[0]!.layers.map((l) => [l.inputs, l.outputs])).toEqual([
      [PFN_FEATURES, 8],
      [8, PFN_OUTPUT_BINS],
    ]);
    expect((wa.training.history as { validation: number }[]).length).toBe(2);
  });

  it('refuses to resume a checkpoint made with other settings', async () => {
    const d = temp();
    await trainPfn({ steps: 2, batch: 8, hidden: [4], every: 1, seed: 1, backend: 'cpu', dir: d, out: join(d, 'w.json') });
    await expect(trainPfn({ steps: 2, batch: 8, hidden: [4], every: 1, seed: 2, backend: 'cpu', dir: d, out: join(d, 'w.json') })).rejects.toThrow(
      'the checkpoint was made with seed 1, not 2; use another --dir',
    );
  });

  it('combines networks trained from different seeds into an ensemble that keeps the record of each, and refuses a seed twice', async () => {
    const d = temp();
    const common = { steps: 2, batch: 8, hidden: [4], every: 1, backend: 'cpu' as const };
    await trainPfn({ ...common, seed: 1, dir: join(d, 'a'), out: join(d, 'a.json'), command: 'npm run train:pfn -- --seed 1' });
    await trainPfn({ ...common, seed: 2, dir: join(d, 'b'), out: join(d, 'b.json'), command: 'npm run train:pfn -- --seed 2' });
    const file = combinePfn([join(d, 'a.json'), join(d, 'b.json')], join(d, 'ens.json'), 'npm run train:pfn -- --combine a.json,b.json');
    const read = parsePfnWeights(JSON.parse(readFileSync(join(d, 'ens.json'), 'utf8')) as typeof file);
    expect(read.members.map((m) => m.training.seed)).toEqual([1, 2]);
    expect(read.members.map((m) => m.training.command)).toEqual(['npm run train:pfn -- --seed 1', 'npm run train:pfn -- --seed 2']);
    const single = parsePfnWeights(JSON.parse(readFileSync(join(d, 'a.json'), 'utf8')) as PfnWeightsFile);
    expect(read.members[0]!.layers).toEqual(single.members[0]!.layers);
    expect(file.combined).toBe('npm run train:pfn -- --combine a.json,b.json');
    expect(() => combinePfn([join(d, 'a.json'), join(d, 'a.json')], join(d, 'x.json'), '')).toThrow(`combine: ${join(d, 'a.json')} and ${join(d, 'a.json')} were both trained from seed 1`);
    expect(() => combinePfn([join(d, 'a.json')], join(d, 'x.json'), '')).toThrow('combine: an ensemble needs two or more weights files, got 1');
    expect(() => combinePfn([join(d, 'ens.json'), join(d, 'a.json')], join(d, 'x.json'), '')).toThrow(`combine: ${join(d, 'ens.json')} is not the weights file of one network (format 1): 2`);
  });
});
