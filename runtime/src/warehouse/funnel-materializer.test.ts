import { describe, expect, it } from 'vitest';
import { reachingRanges } from './funnel-materializer.ts';

describe('the days a load makes saved funnels compute again', () => {
  it('are each changed day and the window’s days before it, overlaps merged', () => {
    expect(reachingRanges(['2026-03-10', '2026-03-02', '2026-03-04'], 2)).toEqual([
      ['2026-02-28', '2026-03-05'],
      ['2026-03-08', '2026-03-11'],
    ]);
    expect(reachingRanges(['2026-03-01', '2026-03-01'], 0)).toEqual([['2026-03-01', '2026-03-02']]);
    expect(reachingRanges([], 7)).toEqual([]);
  });
});
