import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchChunks, batchSeed, chunkedBatch, PFN_CHUNK, priorBatch, PriorSampler } from '../../../src/proxy/pfn/sampler.js';
import { trainPfn } from '../../../src/proxy/pfn/train.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('prior curves for PFN training', () => {
  it('draws a batch of up to one chunk from the batch seed, and larger batches chunk by chunk from distinct seeds', () => {
    const base = batchSeed(3, 7);
    expect(chunkedBatch(100, base)).toEqual(priorBatch(100, base));
    const chunks = batchChunks(2 * PFN_CHUNK + 5, base);
    expect(chunks.map((c) => c.count)).toEqual([PFN_CHUNK, PFN_CHUNK, 5]);
    expect(chunks[0]!.seed).toBe(base);
    expect(new Set(chunks.map((c) => c.seed)).size).toBe(3);
    const big = chunkedBatch(PFN_CHUNK + 3, base);
    expect(big.labels.length).toBe(PFN_CHUNK + 3);
    expect(Array.from(big.labels.subarray(0, PFN_CHUNK))).toEqual(Array.from(priorBatch(PFN_CHUNK, base).labels));
    expect(Array.from(big.labels.subarray(PFN_CHUNK))).toEqual(Array.from(priorBatch(3, chunks[1]!.seed).labels));
  });

  it('gives in worker threads exactly the curves it draws in this thread', async () => {
    const sampler = new PriorSampler(2);
    try {
      const base = batchSeed(1, 2);
      const [a, b] = await Promise.all([sampler.batch(PFN_CHUNK + 40, base), sampler.batch(30, batchSeed(1, 3))]);
      expect(a).toEqual(chunkedBatch(PFN_CHUNK + 40, base));
      expect(b).toEqual(chunkedBatch(30, batchSeed(1, 3)));
    } finally {
      await sampler.close();
    }
  });

  it('rejects the batches still being drawn when it is closed, rather than leaving them pending', async () => {
    const sampler = new PriorSampler(1);
    const pending = sampler.batch(4 * PFN_CHUNK, batchSeed(0, 0));
    await sampler.close();
    await expect(pending).rejects.toThrow('the prior sampler was closed');
    await expect(sampler.batch(10, 1)).rejects.toThrow('the prior sampler was closed');
  });

  it('trains to the same weights with sampling workers as without', async () => {
    const d = mkdtempSync(join(tmpdir(), 'pfn-sampler-'));
    dirs.push(d);
    const common = { steps: 3, batch: 24, hidden: [8], every: 3, seed: 4, backend: 'cpu' as const };
    await trainPfn({ ...common, dir: join(d, 'a'), out: join(d, 'a.json') });
    await trainPfn({ ...common, workers: 2, dir: join(d, 'b'), out: join(d, 'b.json') });
    const layers = (f: string) => (JSON.parse(readFileSync(join(d, f), 'utf8')) as { layers: unknown }).layers;
    expect(layers('b.json')).toEqual(layers('a.json'));
  });
});
