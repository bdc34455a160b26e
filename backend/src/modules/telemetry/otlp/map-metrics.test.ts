import { describe, expect, it } from 'vitest';
import { mapMetrics } from './map-metrics.js';
import { decodeRequest } from './otlp-decode.js';

const source = { orgId: 'o', projectId: 'p', serviceId: 's', serviceName: 'shop', retentionDays: 7 };
const t = '1764590400000000000'; // 2025-12-01 12:00:00 UTC
const request = (metrics: unknown[]) => Buffer.from(JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ scope: { name: 'm' }, metrics }] }] }));

describe('metrics mapping (JSON encoding)', () => {
  it('maps exponential histograms and summaries to their tables', () => {
    const decoded = decodeRequest('metrics', 'json', request([
      {
        name: 'latency',
        exponentialHistogram: {
          aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
          dataPoints: [{ timeUnixNano: t, startTimeUnixNano: t, count: '6', sum: 12.5, scale: 3, zeroCount: 1, positive: { offset: -2, bucketCounts: ['2', 3] }, negative: { offset: 1, bucketCounts: [] }, min: 0, max: 4 }],
        },
      },
      { name: 'rpc.quantiles', summary: { dataPoints: [{ timeUnixNano: t, count: 10, sum: 55, quantileValues: [{ quantile: 0.5, value: 5 }, { quantile: 0.99, value: 9.9 }] }] } },
      { name: 'no.data' },
    ]));
    const mapped = mapMetrics(decoded, source);
    expect(mapped.rows.exponentialHistogram).toEqual([
      expect.objectContaining({ MetricName: 'latency', TimeUnix: '2025-12-01 12:00:00.000000000', Count: 6, Sum: 12.5, Scale: 3, ZeroCount: 1, PositiveOffset: -2, PositiveBucketCounts: [2, 3], NegativeOffset: 1, NegativeBucketCounts: [], Min: 0, Max: 4, AggregationTemporality: 1 }),
    ]);
    expect(mapped.rows.summary).toEqual([
      expect.objectContaining({ MetricName: 'rpc.quantiles', Count: 10, Sum: 55, 'ValueAtQuantiles.Quantile': [0.5, 0.99], 'ValueAtQuantiles.Value': [5, 9.9] }),
    ]);
    expect(mapped.rowCount).toBe(2);
    expect(mapped.rejected).toBe(1);
    expect(mapped.firstError).toMatch(/no\.data without data/);
  });

  it('rejects histogram points whose buckets do not fit their bounds, and points without a time', () => {
    const decoded = decodeRequest('metrics', 'json', request([
      { name: 'h', histogram: { dataPoints: [{ timeUnixNano: t, count: 3, bucketCounts: [1, 2], explicitBounds: [1, 2, 3] }, { timeUnixNano: t, count: 3, bucketCounts: [1, 2], explicitBounds: [10] }] } },
      { name: 'g', gauge: { dataPoints: [{ asInt: '5' }, { timeUnixNano: t, asInt: '-3', exemplars: [{ timeUnixNano: t, asDouble: 1.5, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' }] }] } },
    ]));
    const mapped = mapMetrics(decoded, source);
    expect(mapped.rows.histogram.map((r) => r.BucketCounts)).toEqual([[1, 2]]);
    expect(mapped.rows.gauge).toEqual([expect.objectContaining({ Value: -3, 'Exemplars.Value': [1.5], 'Exemplars.TraceId': ['5b8efff798038103d269b633813fc60c'], 'Exemplars.SpanId': ['eee19b7ec3c1b174'] })]);
    expect(mapped.rejected).toBe(2);
  });
});
