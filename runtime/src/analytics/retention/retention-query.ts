import type { WarehouseSql } from '@livora/adapters/ports';
import { type RawBuilder, sql } from 'kysely';
import { matchCondition } from '../event-match.ts';
import { MAX_RETENTION_PERIODS, type RetentionSpec } from './retention-spec.ts';

/** One row per cohort and period: the people of the cohort seen doing `return` in that period (period 0: all of them). */
export interface RetentionRow {
  cohort: Date;
  period: number | string | bigint;
  persons: number | string | bigint;
}

/**
 * The retention matrix as one SQL statement, written once for every warehouse. One pass
 * over the events reduces them to each person's active days (the curated `day`), with the
 * first start and whether they returned; periods, first times and returns come from those.
 */
export function retentionQuery(warehouse: WarehouseSql, spec: RetentionSpec): RawBuilder<RetentionRow> {
  if (!Number.isInteger(spec.periods) || spec.periods < 2 || spec.periods > MAX_RETENTION_PERIODS)
    throw new RangeError(`a retention matrix has 2 to ${MAX_RETENTION_PERIODS} periods, not ${spec.periods}`);
  const period = warehouse.unitsBetween(spec.unit, sql.ref('c.first_at'), sql.ref('a.active'));
  const starts = matchCondition(warehouse, 'e', spec.start);
  const returns = matchCondition(warehouse, 'e', spec.return);
  // Periods from days: calendar maths on each person's day, not on every event (10x, bench:analytics).
  const active = warehouse.truncate(spec.unit, sql.ref('d.day_at'));
  return sql<RetentionRow>`
    WITH days AS (
      SELECT e.person_id, e.day, MIN(${sql.ref('e.timestamp')}) AS day_at,
             MIN(CASE WHEN ${starts} THEN ${sql.ref('e.timestamp')} END) AS first_start,
             MAX(CASE WHEN ${returns} THEN 1 ELSE 0 END) AS returned
      FROM events AS e
      WHERE e.tenant_id = ${spec.tenantId} AND ((${starts}) OR (${returns}))
      GROUP BY e.person_id, e.day),
    periods AS (
      SELECT d.person_id, ${active} AS active, MIN(d.first_start) AS first_start, MAX(d.returned) AS returned
      FROM days AS d
      GROUP BY d.person_id, ${active}),
    firsts AS (
      SELECT p.person_id, MIN(p.first_start) AS first_at FROM periods AS p
      WHERE p.first_start IS NOT NULL GROUP BY p.person_id),
    cohorts AS (
      SELECT f.person_id, f.first_at, ${warehouse.truncate(spec.unit, sql.ref('f.first_at'))} AS cohort
      FROM firsts AS f
      WHERE f.first_at >= ${warehouse.timestamp(spec.from)} AND f.first_at < ${warehouse.timestamp(spec.to)}),
    activity AS (SELECT p.person_id, p.active FROM periods AS p WHERE p.returned = 1),
    returns AS (
      SELECT r.person_id, r.cohort, r.period
      FROM (
        SELECT c.person_id, c.cohort, ${period} AS period
        FROM cohorts AS c
        JOIN activity AS a ON a.person_id = c.person_id) AS r
      WHERE r.period >= 1 AND r.period < ${sql.lit(spec.periods)})
    SELECT c.cohort, 0 AS period, COUNT(*) AS persons FROM cohorts AS c GROUP BY c.cohort
    UNION ALL
    SELECT r.cohort, r.period, COUNT(*) AS persons FROM returns AS r GROUP BY r.cohort, r.period
    ORDER BY cohort, period`;
}
