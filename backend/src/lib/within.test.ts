import { describe, expect, it } from 'vitest';
import { within } from './within.js';

describe('within', () => {
  it('waits for work that ends in time, failed or not, without calling onLate', async () => {
    let late = 0;
    await within(new Promise((r) => setTimeout(r, 5)), 1000, () => (late += 1));
    await within(Promise.reject(new Error('store gone')), 1000, () => (late += 1));
    expect(late).toBe(0);
  });

  it('stops waiting for work that never ends, after onLate has run', async () => {
    const steps: string[] = [];
    await within(new Promise(() => undefined), 20, async () => {
      steps.push('late');
    });
    steps.push('went on');
    expect(steps).toEqual(['late', 'went on']);
  });
});
