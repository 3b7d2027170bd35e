import type { FunnelRow } from './funnel-query.ts';
import type { FunnelSpec } from './funnel-spec.ts';

export interface FunnelStepResult {
  readonly step: number;
  readonly event: string;
  readonly persons: number;
  /** Of the people who entered (step 1), the share who reached this step (0…1). */
  readonly conversion: number;
  /** Of the people who reached the step before, the share who did not reach this one (0…1). */
  readonly dropOff: number;
  /** Median seconds from the step before, over the people who reached this one (null: none, or an any-order funnel). */
  readonly medianSecondsFromPrevious: number | null;
}

/** One funnel per breakdown value (a single one, value null, without a breakdown). */
export interface FunnelSeries {
  readonly breakdown: string | null;
  readonly steps: FunnelStepResult[];
}

/** The warehouse's rows as funnels, largest entry first (every step present, zero where nobody got there). */
export function shapeFunnel(spec: FunnelSpec, rows: readonly FunnelRow[]): FunnelSeries[] {
  const groups = new Map<string | null, Map<number, FunnelRow>>();
  for (const row of rows) {
    const key = row.breakdown === null ? null : String(row.breakdown);
    const steps = groups.get(key) ?? new Map<number, FunnelRow>();
    steps.set(Number(row.step), row);
    groups.set(key, steps);
  }
  const series = [...groups].map(([breakdown, byStep]) => {
    const persons = spec.steps.map((_, i) => Number(byStep.get(i + 1)?.persons ?? 0));
    const entered = persons[0] ?? 0;
    return {
      breakdown,
      steps: spec.steps.map((step, i) => {
        const median = byStep.get(i + 1)?.median_seconds;
        const here = persons[i] ?? 0;
        const before = i === 0 ? here : (persons[i - 1] ?? 0);
        return {
          step: i + 1,
          event: step.event,
          persons: here,
          conversion: entered === 0 ? 0 : here / entered,
          dropOff: before === 0 ? 0 : (before - here) / before,
          medianSecondsFromPrevious: median === null || median === undefined ? null : Number(median),
        };
      }),
    };
  });
  return series.sort(
    (a, b) =>
      (b.steps[0]?.persons ?? 0) - (a.steps[0]?.persons ?? 0) ||
      (a.breakdown === null ? 1 : b.breakdown === null ? -1 : a.breakdown < b.breakdown ? -1 : 1),
  );
}
