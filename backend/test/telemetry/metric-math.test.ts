import { describe, expect, it } from 'vitest';
import { histogramIncreases, increases, mergeHistograms, quantileFromBuckets } from '../../src/modules/telemetry/query/metric-math.js';

describe('metric arithmetic', () => {
  it('a cumulative counter becomes increases; a reset counts whole, the first point is only a baseline', () => {
    const pts = [
      { t: 1000, start: 0 + 1, value: 100 },
      { t: 2000, start: 1, value: 160 },
      { t: 3000, start: 2500, value: 5 }, // restarted
      { t: 4000, start: 2500, value: 25 },
    ];
    expect(increases(pts, 2, 500)).toEqual([
      { t: 2000, inc: 60 },
      { t: 3000, inc: 5 },
      { t: 4000, inc: 20 },
    ]);
  });

  it('a series that began inside the window counts its first value; delta points are increases as they are', () => {
    expect(increases([{ t: 2000, start: 1500, value: 7 }], 2, 1000)).toEqual([{ t: 2000, inc: 7 }]);
    expect(increases([{ t: 2000, start: 1500, value: 7 }, { t: 3000, start: 2000, value: 3 }], 1, 0)).toEqual([
      { t: 2000, inc: 7 },
      { t: 3000, inc: 3 },
    ]);
  });

  it('p95 of buckets interpolates inside the bucket the rank falls in', () => {
    // 100 values: 50 in (0,10], 40 in (10,100], 10 in (100,+inf) with max 400
    expect(quantileFromBuckets([10, 100], [50, 40, 10], 0.5)).toBeCloseTo(10);
    expect(quantileFromBuckets([10, 100], [50, 40, 10], 0.95, 1, 400)).toBeCloseTo(250);
    expect(quantileFromBuckets([10, 100], [0, 0, 0], 0.95)).toBeNull();
  });

  it('cumulative histograms become per-point bucket increases that merge', () => {
    const base = { bounds: [10, 100], min: 1, max: 50 };
    const inc = histogramIncreases(
      [
        { ...base, t: 1000, start: 1, count: 10, sum: 50, counts: [10, 0, 0] },
        { ...base, t: 2000, start: 1, count: 30, sum: 1050, counts: [10, 20, 0] },
      ],
      2,
      500,
    );
    expect(inc).toHaveLength(1);
    expect(inc[0]!.counts).toEqual([0, 20, 0]);
    const merged = mergeHistograms([...inc, { ...inc[0]!, counts: [5, 0, 0], count: 5, sum: 10 }]);
    expect(merged!.counts).toEqual([5, 20, 0]);
    expect(merged!.count).toBe(25);
  });
});
