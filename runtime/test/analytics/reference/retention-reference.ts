import type { TimeUnit } from '@livora/adapters/ports';
import type { RetentionSpec } from '../../../src/analytics/retention/retention-spec.ts';
import type { CuratedEvent } from '../support/curated-events.ts';
import { DAY, periodStart } from './calendar.ts';
import { matchesEvent } from './event-match-reference.ts';

/** Cohort start (`YYYY-MM-DD`) → people per period, period 0 first. */
export type ReferenceRetention = Map<string, number[]>;

/** The retention matrix by brute force: each person's first start, then each of their return events. */
export function referenceRetention(events: readonly CuratedEvent[], spec: RetentionSpec): ReferenceRetention {
  const mine = events.filter((e) => e.tenant_id === spec.tenantId);
  const firsts = new Map<string, number>();
  for (const e of mine) {
    if (!matchesEvent(e, spec.start)) continue;
    const at = e.timestamp.getTime();
    if (at < (firsts.get(e.person_id) ?? Number.POSITIVE_INFINITY)) firsts.set(e.person_id, at);
  }
  const matrix: ReferenceRetention = new Map();
  const returned = new Map<string, Set<string>>(); // cohort|period → people
  for (const [person, first] of firsts) {
    if (first < spec.from.getTime() || first >= spec.to.getTime()) continue;
    const cohort = periodStart(spec.unit, first);
    const key = new Date(cohort).toISOString().slice(0, 10);
    const cells = matrix.get(key) ?? new Array<number>(spec.periods).fill(0);
    cells[0] = (cells[0] ?? 0) + 1;
    matrix.set(key, cells);
    for (const e of mine) {
      if (e.person_id !== person || !matchesEvent(e, spec.return)) continue;
      const period = periodsBetween(spec.unit, cohort, periodStart(spec.unit, e.timestamp.getTime()));
      if (period < 1 || period >= spec.periods) continue;
      const seen = returned.get(`${key}|${period}`) ?? new Set<string>();
      if (!seen.has(person)) {
        seen.add(person);
        cells[period] = (cells[period] ?? 0) + 1;
      }
      returned.set(`${key}|${period}`, seen);
    }
  }
  return matrix;
}

function periodsBetween(unit: TimeUnit, from: number, to: number): number {
  if (unit === 'month') {
    const a = new Date(from);
    const b = new Date(to);
    return b.getUTCFullYear() * 12 + b.getUTCMonth() - (a.getUTCFullYear() * 12 + a.getUTCMonth());
  }
  return Math.round((to - from) / (unit === 'day' ? DAY : 7 * DAY));
}
