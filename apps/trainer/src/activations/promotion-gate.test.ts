import { describe, expect, it } from 'vitest';
import { promotionGate } from './promotion-gate';

describe('the promotion gate', () => {
  it('refuses a candidate two points worse than the serving set (margin one point)', () => {
    const g = promotionGate({ floor: 0.97, maxDrop: 0.01, candidate: 0.975, active: 0.995 });
    expect(g.passed).toBe(false);
    expect(g.failures).toEqual([expect.stringMatching(/97\.50 % is more than 1\.00 % below the serving set's 99\.50 %/)]);
  });

  it('passes a candidate exactly at the margin and at the floor', () => {
    expect(promotionGate({ floor: 0.97, maxDrop: 0.01, candidate: 0.97, active: 0.98 }).passed).toBe(true);
  });

  it('refuses a candidate below the floor even when nothing serves', () => {
    const g = promotionGate({ floor: 0.97, maxDrop: 0.01, candidate: 0.96, active: null });
    expect([g.passed, g.failures.length, g.active_accuracy]).toEqual([false, 1, null]);
  });

  it('names both failures when both checks fail', () => {
    expect(promotionGate({ floor: 0.97, maxDrop: 0.01, candidate: 0.5, active: 0.99 }).failures).toHaveLength(2);
  });
});
