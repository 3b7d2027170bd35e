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
 * events are ordered by time (then event id, so equal times keep one order). An attempt
 * starts at each step-1 event in the range; each next step is the earliest matching event
 * after the previous step's and no later than the window's end (for `strict`, the very
 * next event): that greedy choice reaches as many steps as any. Each person's best
 * attempt reaches the most steps, then starts first.
 */
export function funnelQuery(warehouse: WarehouseSql, spec: FunnelSpec): RawBuilder<FunnelRow> {
  const parts = funnelParts(warehouse, spec);
  return sql<FunnelRow>`
    WITH ${attemptsOf(parts)},
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.reached DESC, a.t1, a.start_id) AS pick
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

/**
 * The `sliced` and `attempts` CTEs (and `numbered` for any order): every attempt, with its start (`start_id`, `t1`), the
 * time of each step it reached (later ones null) and `reached`.
 */
export function attemptsOf(parts: Parts): SqlExpression {
  const sliced = sql`sliced AS (${slicedEvents(parts)})`;
  if (parts.spec.order === 'any')
    return sql`${sliced},
    numbered AS (SELECT x.*, ROW_NUMBER() ${inOrder('plain')} AS seq FROM sliced AS x),
    attempts AS (${anyOrderAttempts(parts)})`;
  const attempts = parts.spec.order === 'strict' ? strictAttempts(parts) : orderedAttempts(parts);
  return sql`${sliced},
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
 * after it), flagged per step: all of them for `strict` (the steps must be neighbours),
 * else only step events.
 */
function slicedEvents({ warehouse, spec, steps, from, to }: Parts): SqlExpression {
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
  const inRange = sql`
    SELECT e.person_id, e.event_id, ${at} AS ts, ${breakdown} AS breakdown, ${sql.join(flags)}
    FROM events AS e ${traits}
    WHERE e.tenant_id = ${spec.tenantId} AND ${at} >= ${from} AND ${at} <= ${warehouse.plusSeconds(to, spec.windowSeconds)}
      ${cohort}${segment}`;
  if (spec.order === 'strict') return inRange;
  const anyStep = sql.join(
    steps.map((k) => sql`${sql.ref(`s.s${k}`)} = 1`),
    sql` OR `,
  );
  return sql`SELECT s.* FROM (${inRange}) AS s WHERE ${anyStep}`;
}

/** A person's events in time order, as the window of an analytic function. */
function inOrder(frame: 'rows after' | 'plain'): SqlExpression {
  return sql`OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id${
    frame === 'rows after' ? sql` ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING` : sql``
  })`;
}

/**
 * Attempts of an ordered funnel, with analytic functions instead of joins (a join of each
 * start to its later events grows with their product). Layer j, from the last step down,
 * gives each step-(j−1) event the times of steps j … n of the greedy chain through the
 * first step-j event after it: the earliest of those events' own chain times. Chains
 * never go back in time, so the earliest is the first one's (a missing step stays missing
 * for later events too, and MIN skips nulls). A layer reads only the events it joins up:
 * step-j events with the layer below's times, and step-(j−1) events.
 */
function orderedAttempts(parts: Parts): SqlExpression {
  const { steps } = parts;
  const base = sql`x.person_id, x.event_id, x.ts, x.breakdown, ${sql.join(steps.map((k) => sql.ref(`x.s${k}`)))}`;
  const flag = (k: number) => sql.ref(`x.s${k}`);
  let layer = sql``;
  for (let j = steps.length; j >= 2; j--) {
    const later = steps.filter((k) => k > j);
    const input =
      j === steps.length
        ? sql`SELECT ${base} FROM sliced AS x WHERE ${flag(j - 1)} = 1 OR ${flag(j)} = 1`
        : sql`SELECT ${base}, ${sql.join(later.map((k) => sql.ref(`x.c${k}`)))} FROM (${layer}) AS x WHERE ${flag(j)} = 1
          UNION ALL
          SELECT ${base}, ${sql.join(later.map((k) => sql`CASE WHEN 1 = 0 THEN x.ts END AS ${sql.ref(`c${k}`)}`))}
          FROM sliced AS x WHERE ${flag(j - 1)} = 1 AND ${flag(j)} = 0`;
    const chain = [j, ...later].map((k) => {
      const time = k === j ? sql.ref('x.ts') : sql.ref(`x.c${k}`);
      return sql`MIN(CASE WHEN ${flag(j)} = 1 THEN ${time} END) ${inOrder('rows after')} AS ${sql.ref(`c${k}`)}`;
    });
    layer = sql`SELECT ${base}, ${sql.join(chain)} FROM (${input}) AS x`;
  }
  const times = steps.slice(1).map((k) => sql.ref(`c.c${k}`));
  return chainAttempts(parts, sql`SELECT * FROM (${layer}) AS c WHERE c.s1 = 1`, times);
}

/** Attempts of a strict funnel: step k is the event k − 1 places after the start, when it matches. */
function strictAttempts(parts: Parts): SqlExpression {
  const later = parts.steps
    .slice(1)
    .flatMap((k) => [
      sql`LEAD(${sql.ref(`x.s${k}`)}, ${sql.lit(k - 1)}) ${inOrder('plain')} AS ${sql.ref(`m${k}`)}`,
      sql`LEAD(x.ts, ${sql.lit(k - 1)}) ${inOrder('plain')} AS ${sql.ref(`n${k}`)}`,
    ]);
  const times = parts.steps
    .slice(1)
    .map((k) => sql`CASE WHEN ${sql.ref(`c.m${k}`)} = 1 THEN ${sql.ref(`c.n${k}`)} END`);
  return chainAttempts(
    parts,
    sql`SELECT * FROM (SELECT x.*, ${sql.join(later)} FROM sliced AS x) AS c WHERE c.s1 = 1`,
    times,
  );
}

/**
 * Attempts from starts (`c`: step-1 events with each later step's candidate time): those
 * starting in the range, reaching each step while its time is there and within the window.
 */
function chainAttempts(
  { warehouse, spec, steps, from, to }: Parts,
  starts: SqlExpression,
  times: SqlExpression[],
): SqlExpression {
  const deadline = warehouse.plusSeconds(sql.ref('a.t1'), spec.windowSeconds);
  const depth = sql.join(
    steps
      .slice(1)
      .map(
        (k) => sql`WHEN ${sql.ref(`a.t${k}`)} IS NULL OR ${sql.ref(`a.t${k}`)} > ${deadline} THEN ${sql.lit(k - 1)}`,
      ),
    sql` `,
  );
  const candidates = times.map((time, i) => sql`${time} AS ${sql.ref(`t${i + 2}`)}`);
  const kept = steps
    .slice(1)
    .map((k) => sql`CASE WHEN r.reached >= ${sql.lit(k)} THEN ${sql.ref(`r.t${k}`)} END AS ${sql.ref(`t${k}`)}`);
  return sql`
    SELECT r.person_id, r.breakdown, r.start_id, r.t1, ${sql.join(kept)}, r.reached
    FROM (
      SELECT a.*, CASE ${depth} ELSE ${sql.lit(steps.length)} END AS reached
      FROM (
        SELECT c.person_id, c.breakdown, c.event_id AS start_id, c.ts AS t1, ${sql.join(candidates)}
        FROM (${starts}) AS c
        WHERE c.ts >= ${from} AND c.ts < ${to}) AS a) AS r`;
}

/** Attempts of an any-order funnel: every step event in the range starts one, counting the steps met within the window. */
function anyOrderAttempts({ warehouse, spec, steps, from, to }: Parts): SqlExpression {
  const met = sql.join(
    steps.map((k) => sql`MAX(${sql.ref(`b.s${k}`)})`),
    sql` + `,
  );
  return sql`
    SELECT a.person_id, a.breakdown, a.seq AS start_id, a.ts AS t1, ${met} AS reached
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
