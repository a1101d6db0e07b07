import { describe, expect, it } from 'vitest';
import { Loads } from './loads.ts';

describe('Loads: the load asked for last wins', () => {
  it('beginning a load aborts the one before and makes it stale, whatever it was doing', () => {
    const loads = new Loads();
    const sample = loads.begin();
    const drop = loads.begin();
    expect(sample.signal.aborted).toBe(true);
    expect(sample.current()).toBe(false);
    expect(drop.signal.aborted).toBe(false);
    expect(drop.current()).toBe(true);
    expect(drop.id).toBeGreaterThan(sample.id);
    const again = loads.begin();
    expect(drop.current()).toBe(false);
    expect(again.current()).toBe(true);
  });

  it('Cancel aborts the current load but keeps it current, so its outcome still shows', () => {
    const loads = new Loads();
    const earlier = loads.begin();
    const t = loads.begin();
    loads.cancel();
    expect(t.signal.aborted).toBe(true);
    expect(t.current()).toBe(true);
    expect(earlier.current()).toBe(false);
  });
});
