import type { WarehouseSql } from '@livora/adapters/ports';
import { type RawBuilder, sql } from 'kysely';
import {
  attemptsOf,
  type FunnelRow,
  funnelParts,
  inCohort,
  inPersons,
  joinTraits,
  summaryOfBest,
  traitBreakdown,
} from './funnel-query.ts';
import { type FunnelSpec, MAX_FUNNEL_STEPS } from './funnel-spec.ts';
import type { SavedFunnelDefinition } from './saved-funnel.ts';

/** The table that keeps saved funnels' best attempts per person and day of entry. */
export const FUNNEL_DAYS_TABLE = 'funnel_days';

/** Step times a stored row holds (t1 … t10; those past the funnel's steps stay null). */
export const FUNNEL_DAY_TIMES = Array.from({ length: MAX_FUNNEL_STEPS }, (_, i) => `t${i + 1}`);

/**
 * The rows a saved funnel keeps for entries in [from, to): each person's best attempt per
 * UTC day of entry (most steps, then the earliest start), with the time of each step
 * reached. A person's best attempt over a range is the best of their days' bests, so
 * reading a saved funnel picks among these instead of building every attempt again. The
 * cohort, a segment and a trait breakdown belong to the read: they are the person's, not the attempt's.
 */
export function funnelDaysQuery(
  warehouse: WarehouseSql,
  definition: SavedFunnelDefinition,
  range: { from: Date; to: Date },
): RawBuilder<Record<string, unknown>> {
  const parts = funnelParts(warehouse, { ...definition, ...range });
  const day = warehouse.truncate('day', sql.ref('a.t1'));
  const times = timesOf(definition).map((t) => sql.ref(`a.${t}`));
  return sql`
    WITH ${attemptsOf(parts)},
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id, ${day} ORDER BY a.reached DESC, a.t1, a.start_id) AS pick
      FROM attempts AS a)
    SELECT ${day} AS entered_on, a.person_id, a.breakdown, a.reached, ${sql.join(times)}
    FROM ranked_attempts AS a WHERE a.pick = 1`;
}

/** The columns `funnelDaysQuery` fills, in its order. */
export function funnelDaysColumns(definition: SavedFunnelDefinition): string[] {
  return ['entered_on', 'person_id', 'breakdown', 'reached', ...timesOf(definition)];
}

/**
 * The funnel `spec` answered from the rows of its saved funnel `key` (its range whole UTC
 * days): each person's best day, then the same counts and medians as `funnelQuery`.
 */
export function funnelFromDaysQuery(warehouse: WarehouseSql, spec: FunnelSpec, key: string): RawBuilder<FunnelRow> {
  const parts = funnelParts(warehouse, spec);
  const ofPerson = spec.breakdown?.of === 'person';
  const times = timesOf(spec).map((t) => sql.ref(`b.${t}`));
  return sql<FunnelRow>`
    WITH picked AS (
      SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.person_id ORDER BY d.reached DESC, d.t1) AS pick
      FROM ${sql.table(FUNNEL_DAYS_TABLE)} AS d
      WHERE d.funnel_key = ${key} AND d.tenant_id = ${spec.tenantId}
        AND d.entered_on >= ${parts.from} AND d.entered_on < ${parts.to} AND ${inCohort(warehouse, spec, 'd')}${
          spec.persons
            ? sql`
        AND ${inPersons(spec, 'd')}`
            : sql``
        }),
    best AS (
      SELECT ${ofPerson && spec.breakdown ? traitBreakdown(warehouse, spec.breakdown.property) : sql.ref('b.breakdown')} AS breakdown,
             b.reached, ${sql.join(times)}
      FROM picked AS b ${ofPerson ? joinTraits('b') : sql``}
      WHERE b.pick = 1),
    ${summaryOfBest(parts)}`;
}

/** Step times an attempt records: every step's for ordered funnels, the entry's for any-order ones. */
function timesOf(definition: Pick<FunnelSpec, 'steps' | 'order'>): string[] {
  return FUNNEL_DAY_TIMES.slice(0, definition.order === 'any' ? 1 : definition.steps.length);
}
