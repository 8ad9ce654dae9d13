import { describe, expect, it } from 'vitest';
import { bucketsOf, countOf, quantile } from './histogram.js';
import { median } from '../bench-core/goals.js';
import { bucketDelta } from './live-latency.js';

const TEXT = `# HELP alpha_panda_hop_latency_seconds x
# TYPE alpha_panda_hop_latency_seconds histogram
alpha_panda_hop_latency_seconds_bucket{le="0.0005",broker="paper",hop="tick_to_order"} 10
alpha_panda_hop_latency_seconds_bucket{le="0.001",broker="paper",hop="tick_to_order"} 90
alpha_panda_hop_latency_seconds_bucket{le="0.002",broker="paper",hop="tick_to_order"} 99
alpha_panda_hop_latency_seconds_bucket{le="+Inf",broker="paper",hop="tick_to_order"} 100
alpha_panda_hop_latency_seconds_sum{broker="paper",hop="tick_to_order"} 0.1
alpha_panda_hop_latency_seconds_count{broker="paper",hop="tick_to_order"} 100
alpha_panda_hop_latency_seconds_bucket{le="0.0005",broker="paper",hop="tick_to_fill"} 1
alpha_panda_hop_latency_seconds_bucket{le="0.001",broker="paper",hop="tick_to_fill"} 1
alpha_panda_hop_latency_seconds_bucket{le="0.002",broker="paper",hop="tick_to_fill"} 1
alpha_panda_hop_latency_seconds_bucket{le="+Inf",broker="paper",hop="tick_to_fill"} 1
`;

describe('histogram quantiles', () => {
  it('reads one label set and interpolates within the bucket of the rank', () => {
    const b = bucketsOf(TEXT, 'alpha_panda_hop_latency_seconds', { hop: 'tick_to_order' })!;
    expect(b.le).toEqual([0.0005, 0.001, 0.002, Infinity]);
    expect(countOf(b)).toBe(100);
    // Rank 50 is the 40th of the 80 observations in (0.5 ms, 1 ms]: halfway.
    expect(quantile(b, 0.5)).toBeCloseTo(0.00075, 12);
    // Rank 5 is in the first bucket, interpolated from 0.
    expect(quantile(b, 0.05)).toBeCloseTo(0.00025, 12);
    expect(quantile(b, 0.99)).toBeCloseTo(0.002, 12);
    // A rank in +Inf answers the highest finite bound.
    expect(quantile(b, 0.995)).toBe(0.002);
    expect(bucketsOf(TEXT, 'alpha_panda_hop_latency_seconds', { hop: 'x' })).toBeNull();
  });

  it('subtracts an earlier scrape bucket by bucket, and takes medians', () => {
    const after = bucketsOf(TEXT, 'alpha_panda_hop_latency_seconds', { hop: 'tick_to_order' })!;
    const before = { le: after.le, cumulative: [10, 10, 10, 10] };
    const d = bucketDelta(after, before);
    expect(d.cumulative).toEqual([0, 80, 89, 90]);
    expect(quantile(d, 0.5)).toBeCloseTo(0.0005 + 0.0005 * (45 / 80), 12);
    expect(() => quantile(d, 1)).toThrow(/between 0 and 1, received 1/);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
