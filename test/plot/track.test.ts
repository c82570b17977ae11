import { describe, expect, it } from 'vitest';
import { trackChart } from '../../src/plot/track.js';
import { renderSVG } from '../../src/plot/render.js';

describe('trackChart', () => {
  const steps = Array.from({ length: 100 }, (_, i) => 10 * (i + 1));
  const loss = steps.map((s) => 2 + 10 / Math.sqrt(s));
  const prediction = { steps, loss, lower: loss.map((v) => v - 0.05), upper: loss.map((v) => v + 0.05) };
  const run = { steps: steps.slice(0, 60), loss: loss.slice(0, 60).map((v, i) => v + (i > 40 ? 0.2 : 0)) };
  const forecast = { steps: steps.slice(59), loss: loss.slice(59).map((v) => v + 0.2), lower: loss.slice(59).map((v) => v + 0.15), upper: loss.slice(59).map((v) => v + 0.25) };

  it('layers the band, the forecast band, the departure, the curves and the run, and renders', async () => {
    const spec = trackChart({ prediction, run, forecast, departure: { step: 450, since: 420 } }) as unknown as { layer: { mark: { type: string } }[] };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['area', 'area', 'rect', 'rule', 'line', 'point']);
    const svg = await renderSVG(spec as never);
    expect(svg).toContain('<svg');
  });

  it('leaves out a band it was not given, and rejects curves of unequal length', () => {
    const spec = trackChart({ prediction: { steps, loss }, run }) as unknown as { layer: { mark: { type: string } }[] };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['line', 'point']);
    expect(() => trackChart({ prediction: { steps, loss: loss.slice(1) }, run })).toThrow('trackChart: prediction: 100 steps but 99 losses');
  });
});
