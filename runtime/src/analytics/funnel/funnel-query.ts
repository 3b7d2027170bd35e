import type { SqlExpression, WarehouseSql } from '@livora/adapters/ports';
import { type RawBuilder, sql } from 'kysely';
import { matchCondition } from '../event-match.ts';
import { eventProperty } from '../event-properties.ts';
import { type FunnelSpec, MAX_FUNNEL_STEPS, MIN_FUNNEL_STEPS, PERSON_ID } from './funnel-spec.ts';

/** One row per breakdown value and step: people who reached it, and the median seconds from the step before. */
export interface FunnelRow {
  breakdown: string | null;
  step: number | string;
  persons: number | string;
  median_seconds: number | string | null;
}

export interface Parts {
  readonly warehouse: WarehouseSql;
  readonly spec: FunnelSpec;
  /** 1 … number of steps. */
  readonly steps: readonly number[];
  readonly from: SqlExpression;
  readonly to: SqlExpression;
}

/**
 * The funnel as one SQL statement, written once for every warehouse. Each person's
 * events are numbered by time (then event id, so equal times keep one order). An
 * attempt starts at each step-1 event in the range; each next step is the earliest
 * matching event numbered after the previous step's and no later than the window's end
 * (for `strict`, the very next number): that greedy choice reaches as many steps as any.
 */
export function funnelQuery(warehouse: WarehouseSql, spec: FunnelSpec): RawBuilder<FunnelRow> {
  const parts = funnelParts(warehouse, spec);
  return sql<FunnelRow>`
    WITH ${attemptsOf(parts)},
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.reached DESC, a.t1, a.q1) AS pick
      FROM attempts AS a),
    best AS (SELECT * FROM ranked_attempts WHERE pick = 1),
    ${summaryOfBest(parts)}`;
}

/** What the funnel's SQL is built from (checks the number of steps). */
export function funnelParts(warehouse: WarehouseSql, spec: FunnelSpec): Parts {
  const count = spec.steps.length;
  if (count < MIN_FUNNEL_STEPS || count > MAX_FUNNEL_STEPS)
    throw new RangeError(`a funnel has ${MIN_FUNNEL_STEPS} to ${MAX_FUNNEL_STEPS} steps, not ${count}`);
  return {
    warehouse,
    spec,
    steps: spec.steps.map((_, i) => i + 1),
    from: warehouse.timestamp(spec.from),
    to: warehouse.timestamp(spec.to),
  };
}

/** The `numbered` and `attempts` CTEs: every attempt, with its start (`q1`, `t1`), its steps' times and `reached`. */
export function attemptsOf(parts: Parts): SqlExpression {
  const attempts = parts.spec.order === 'any' ? anyOrderAttempts(parts) : orderedAttempts(parts);
  return sql`numbered AS (${numberedEvents(parts)}),
    attempts AS (${attempts})`;
}

/** From a `best` CTE (one attempt per person: breakdown, reached, t1…): people and median seconds per step. */
export function summaryOfBest(parts: Parts): SqlExpression {
  return sql`reached AS (${reachedSteps(parts)}),
    ranked AS (
      SELECT r.breakdown, r.step, r.seconds,
             ROW_NUMBER() OVER (PARTITION BY r.breakdown, r.step ORDER BY r.seconds) AS rn,
             COUNT(*) OVER (PARTITION BY r.breakdown, r.step) AS n
      FROM reached AS r)
    SELECT breakdown, step, COUNT(*) AS persons,
           AVG(CASE WHEN 2 * rn BETWEEN n AND n + 2 THEN seconds END) AS median_seconds
    FROM ranked
    GROUP BY breakdown, step
    ORDER BY breakdown, step`;
}

/**
 * The slice of events a funnel can see (entries in the range, later steps up to a window
 * after it), flagged per step and numbered per person: all of them for `strict` (the
 * steps must be neighbours), else only step events.
 */
function numberedEvents({ warehouse, spec, steps, from, to }: Parts): SqlExpression {
  const at = sql.ref('e.timestamp');
  const flags = spec.steps.map(
    (step, i) => sql`CASE WHEN ${matchCondition(warehouse, 'e', step)} THEN 1 ELSE 0 END AS ${sql.ref(`s${i + 1}`)}`,
  );
  const breakdown =
    spec.breakdown?.of === 'person'
      ? traitBreakdown(warehouse, spec.breakdown.property)
      : spec.breakdown
        ? eventProperty(warehouse, 'e', spec.breakdown.property)
        : sql`CAST(NULL AS ${sql.raw(warehouse.typeName('text'))})`;
  const traits = spec.breakdown?.of === 'person' ? joinTraits('e') : sql``;
  const cohort = spec.cohort ? sql`AND ${inCohort(warehouse, spec, 'e')}` : sql``;
  const segment = spec.persons ? sql` AND ${inPersons(spec, 'e')}` : sql``;
  const sliced = sql`
    SELECT e.person_id, e.event_id, ${at} AS ts, ${breakdown} AS breakdown, ${sql.join(flags)}
    FROM events AS e ${traits}
    WHERE e.tenant_id = ${spec.tenantId} AND ${at} >= ${from} AND ${at} <= ${warehouse.plusSeconds(to, spec.windowSeconds)}
      ${cohort}${segment}`;
  const anyStep = sql.join(
    steps.map((k) => sql`${sql.ref(`s.s${k}`)} = 1`),
    sql` OR `,
  );
  return sql`
    SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.person_id ORDER BY s.ts, s.event_id) AS seq
    FROM (${sliced}) AS s
    ${spec.order === 'strict' ? sql`` : sql`WHERE ${anyStep}`}`;
}

/** Attempts of an ordered or strict funnel: step k joins the earliest fitting step-k event; a miss leaves the rest null. */
function orderedAttempts({ warehouse, spec, steps, from, to }: Parts): SqlExpression {
  let chain = sql`
    SELECT m.person_id, m.breakdown, m.seq AS q1, m.ts AS t1
    FROM numbered AS m WHERE m.s1 = 1 AND m.ts >= ${from} AND m.ts < ${to}`;
  let carried = ['person_id', 'breakdown', 'q1', 't1'];
  for (const k of steps.slice(1)) {
    const previous = sql.ref(`a.q${k - 1}`);
    const after = spec.order === 'strict' ? sql`b.seq = ${previous} + 1` : sql`b.seq > ${previous}`;
    const keep = sql.join(carried.map((column) => sql.ref(`a.${column}`)));
    chain = sql`
      SELECT ${keep}, MIN(b.seq) AS ${sql.ref(`q${k}`)}, MIN(b.ts) AS ${sql.ref(`t${k}`)}
      FROM (${chain}) AS a
      LEFT JOIN numbered AS b
        ON b.person_id = a.person_id AND ${sql.ref(`b.s${k}`)} = 1 AND ${after}
           AND b.ts <= ${warehouse.plusSeconds(sql.ref('a.t1'), spec.windowSeconds)}
      GROUP BY ${keep}`;
    carried = [...carried, `q${k}`, `t${k}`];
  }
  const depth = sql.join(
    steps.slice(1).map((k) => sql`WHEN ${sql.ref(`c.q${k}`)} IS NULL THEN ${sql.lit(k - 1)}`),
    sql` `,
  );
  return sql`SELECT c.*, CASE ${depth} ELSE ${sql.lit(steps.length)} END AS reached FROM (${chain}) AS c`;
}

/** Attempts of an any-order funnel: every step event in the range starts one, counting the steps met within the window. */
function anyOrderAttempts({ warehouse, spec, steps, from, to }: Parts): SqlExpression {
  const met = sql.join(
    steps.map((k) => sql`MAX(${sql.ref(`b.s${k}`)})`),
    sql` + `,
  );
  return sql`
    SELECT a.person_id, a.breakdown, a.seq AS q1, a.ts AS t1, ${met} AS reached
    FROM numbered AS a
    JOIN numbered AS b
      ON b.person_id = a.person_id AND b.seq >= a.seq
         AND b.ts <= ${warehouse.plusSeconds(sql.ref('a.ts'), spec.windowSeconds)}
    WHERE a.ts >= ${from} AND a.ts < ${to}
    GROUP BY a.person_id, a.breakdown, a.seq, a.ts`;
}

/** One row per person and step reached, with the seconds from the step before (ordered funnels only). */
function reachedSteps({ warehouse, spec, steps }: Parts): SqlExpression {
  const noSeconds = sql`CAST(NULL AS ${sql.raw(warehouse.typeName('float'))})`;
  return sql.join(
    steps.map((k) => {
      const seconds =
        k === 1 || spec.order === 'any'
          ? noSeconds
          : warehouse.secondsBetween(sql.ref(`b.t${k - 1}`), sql.ref(`b.t${k}`));
      return sql`SELECT b.breakdown, ${sql.lit(k)} AS step, ${seconds} AS seconds FROM best AS b WHERE b.reached >= ${sql.lit(k)}`;
    }),
    sql` UNION ALL `,
  );
}

/** A person's trait as the breakdown, read from the `p` of `joinTraits`. */
export function traitBreakdown(warehouse: WarehouseSql, property: string): SqlExpression {
  return warehouse.jsonText(sql.ref('p.traits'), property);
}

/** Joins each row of `alias` to its person as `p`. */
export function joinTraits(alias: string): SqlExpression {
  return sql`LEFT JOIN persons AS p ON p.tenant_id = ${sql.ref(`${alias}.tenant_id`)} AND p.person_id = ${sql.ref(`${alias}.person_id`)}`;
}

/**
 * The row `alias` belongs to one of the spec's `persons`. They go in as literals (checked
 * ids): a segment's 100,000 people are more parameters than some warehouses take.
 */
export function inPersons(spec: FunnelSpec, alias: string): SqlExpression {
  if (!spec.persons) return sql`1 = 1`;
  if (spec.persons.length === 0) return sql`1 = 0`;
  for (const id of spec.persons) if (!PERSON_ID.test(id)) throw new Error(`not a person id: ${JSON.stringify(id)}`);
  return sql`${sql.ref(`${alias}.person_id`)} IN (${sql.raw(spec.persons.map((id) => `'${id}'`).join(', '))})`;
}

/** The row `alias` belongs to a person first seen in the spec's cohort. */
export function inCohort(warehouse: WarehouseSql, spec: FunnelSpec, alias: string): SqlExpression {
  if (!spec.cohort) return sql`1 = 1`;
  return sql`${sql.ref(`${alias}.person_id`)} IN (
        SELECT c.person_id FROM persons AS c
        WHERE c.tenant_id = ${spec.tenantId} AND c.first_seen >= ${warehouse.timestamp(spec.cohort.firstSeenFrom)}
          AND c.first_seen < ${warehouse.timestamp(spec.cohort.firstSeenTo)})`;
}
