import type { RetentionRow } from './retention-query.ts';
import type { RetentionSpec } from './retention-spec.ts';

export interface RetentionCohort {
  /** The cohort's first day (UTC), `YYYY-MM-DD`. */
  readonly start: string;
  readonly persons: number;
  /** People per period, period 0 (the cohort) first; one entry per period asked for. */
  readonly retained: number[];
  /** `retained` as shares of the cohort (0…1). */
  readonly rates: number[];
}

/** The warehouse's rows as a matrix: cohorts in time order, every period present. */
export function shapeRetention(spec: RetentionSpec, rows: readonly RetentionRow[]): RetentionCohort[] {
  const cohorts = new Map<string, number[]>();
  for (const row of rows) {
    const start = new Date(row.cohort).toISOString().slice(0, 10);
    const cells = cohorts.get(start) ?? new Array<number>(spec.periods).fill(0);
    cells[Number(row.period)] = Number(row.persons);
    cohorts.set(start, cells);
  }
  return [...cohorts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([start, retained]) => {
      const persons = retained[0] ?? 0;
      return { start, persons, retained, rates: retained.map((n) => (persons === 0 ? 0 : n / persons)) };
    });
}
