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
 * The retention matrix as one SQL statement, written once for every warehouse. Return
 * events are first reduced to the periods each person was active in (a person's week
 * holds many events), so the join to the cohorts is small.
 */
export function retentionQuery(warehouse: WarehouseSql, spec: RetentionSpec): RawBuilder<RetentionRow> {
  if (!Number.isInteger(spec.periods) || spec.periods < 2 || spec.periods > MAX_RETENTION_PERIODS)
    throw new RangeError(`a retention matrix has 2 to ${MAX_RETENTION_PERIODS} periods, not ${spec.periods}`);
  const period = warehouse.unitsBetween(spec.unit, sql.ref('c.first_at'), sql.ref('a.active'));
  return sql<RetentionRow>`
    WITH firsts AS (
      SELECT e.person_id, MIN(${sql.ref('e.timestamp')}) AS first_at
      FROM events AS e
      WHERE e.tenant_id = ${spec.tenantId} AND ${matchCondition(warehouse, 'e', spec.start)}
      GROUP BY e.person_id),
    cohorts AS (
      SELECT f.person_id, f.first_at, ${warehouse.truncate(spec.unit, sql.ref('f.first_at'))} AS cohort
      FROM firsts AS f
      WHERE f.first_at >= ${warehouse.timestamp(spec.from)} AND f.first_at < ${warehouse.timestamp(spec.to)}),
    activity AS (
      SELECT DISTINCT e.person_id, ${warehouse.truncate(spec.unit, sql.ref('e.timestamp'))} AS active
      FROM events AS e
      WHERE e.tenant_id = ${spec.tenantId} AND ${matchCondition(warehouse, 'e', spec.return)}),
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
