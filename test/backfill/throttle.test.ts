import { describe, expect, it } from 'vitest';
import { BatchSizer } from '../../src/db/backfill/throttle.ts';

describe('BatchSizer', () => {
  it('grows fast batches and shrinks slow ones towards the 50–200 ms band', () => {
    const sizer = new BatchSizer({ initialBatchSize: 1000 });
    sizer.observe(1000, 10);
    expect(sizer.current).toBe(4000);
    sizer.observe(4000, 500);
    expect(sizer.current).toBe(1000);
    sizer.observe(1000, 120);
    expect(sizer.current).toBe(1000);
  });

  it('does not let timing alone take a batch below the floor (a starved CPU makes every batch slow)', () => {
    const sizer = new BatchSizer({ initialBatchSize: 400, minBatchSize: 100 });
    for (let i = 0; i < 10; i++) sizer.observe(sizer.current, 2000);
    expect(sizer.current).toBe(100);
  });

  it('goes below the floor when writers wait on locks, and timing does not shrink it further', () => {
    const sizer = new BatchSizer({ initialBatchSize: 100, minBatchSize: 100 });
    sizer.shrink();
    sizer.shrink();
    expect(sizer.current).toBe(25);
    sizer.observe(25, 5000);
    expect(sizer.current).toBe(25);
    sizer.observe(25, 5);
    expect(sizer.current).toBe(100);
  });

  it('never exceeds the cap, and a floor above the cap is the cap', () => {
    const sizer = new BatchSizer({ initialBatchSize: 50, maxBatchSize: 60, minBatchSize: 100 });
    sizer.observe(50, 1);
    expect(sizer.current).toBe(60);
    sizer.observe(60, 10_000);
    expect(sizer.current).toBe(60);
  });
});
