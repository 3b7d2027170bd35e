import type { Warehouse } from '@livora/adapters/ports';
import { type Kysely, sql } from 'kysely';
import { FUNNEL_DAYS_TABLE, funnelDaysColumns, funnelDaysQuery } from '../analytics/funnel/funnel-days-query.ts';
import { daysReachedBack, type SavedFunnel } from '../analytics/funnel/saved-funnel.ts';

/** A tenant's day whose events a load replaced (`YYYY-MM-DD`). */
export interface ChangedDay {
  readonly tenantId: string;
  readonly day: string;
}

const DAY_MS = 86_400_000;
/** A funnel is built a month of entries at a time: one statement over all history would hold every attempt at once. */
const BUILD_DAYS = 31;

/**
 * Keeps the day rows of saved funnels (`funnel_days`) in step with the events table. A
 * funnel new to the warehouse is built over all of its tenant's events, then recorded in
 * `funnel_builds` (reads use its rows only from then on); after a load, each changed day
 * is computed again together with the days before it whose entries' windows reach it.
 * Rows of funnels no longer saved are dropped. Each range is replaced in one transaction,
 * so doing it twice, or stopping half-way and starting again, leaves the same rows.
 */
export function createFunnelMaterializer(warehouse: Warehouse) {
  // biome-ignore lint/suspicious/noExplicitAny: curated tables are not typed
  const db = warehouse.db as Kysely<any>;
  const at = (day: string) => warehouse.sql.timestamp(new Date(`${day}T00:00:00.000Z`));

  /** Replaces the funnel's rows for entries on days [from, to) (`record`: and says they are up to date). */
  async function refresh(funnel: SavedFunnel, from: string, to: string, record = true): Promise<void> {
    const columns = sql.join(funnelDaysColumns(funnel.definition).map((c) => sql.ref(c)));
    const range = { from: new Date(`${from}T00:00:00.000Z`), to: new Date(`${to}T00:00:00.000Z`) };
    await db.transaction().execute(async (tx) => {
      await sql`
        DELETE FROM ${sql.table(FUNNEL_DAYS_TABLE)}
        WHERE funnel_key = ${funnel.key} AND entered_on >= ${at(from)} AND entered_on < ${at(to)}`.execute(tx);
      await sql`
        INSERT INTO ${sql.table(FUNNEL_DAYS_TABLE)} (funnel_key, tenant_id, ${columns})
        SELECT ${funnel.key}, ${funnel.definition.tenantId}, d.*
        FROM (${funnelDaysQuery(warehouse.sql, funnel.definition, range)}) AS d`.execute(tx);
      if (record) await recordRefresh(tx, funnel);
    });
  }

  /** Builds the funnel over every day its tenant has events on (reads leave its rows alone meanwhile). */
  async function build(funnel: SavedFunnel): Promise<void> {
    await db.transaction().execute(async (tx) => {
      await sql`DELETE FROM funnel_builds WHERE funnel_key = ${funnel.key}`.execute(tx);
      await sql`DELETE FROM ${sql.table(FUNNEL_DAYS_TABLE)} WHERE funnel_key = ${funnel.key}`.execute(tx);
    });
    const { rows } = await sql<{ first: Date | string | null; last: Date | string | null }>`
      SELECT MIN("timestamp") AS first, MAX("timestamp") AS last FROM events
      WHERE tenant_id = ${funnel.definition.tenantId}`.execute(db);
    const span = rows[0];
    if (span?.first && span.last) {
      const last = dayOf(new Date(span.last));
      for (let day = dayOf(new Date(span.first)); day <= last; day = plusDays(day, BUILD_DAYS))
        await refresh(funnel, day, plusDays(day, BUILD_DAYS), false);
    }
    await db.transaction().execute((tx) => recordRefresh(tx, funnel));
  }

  /**
   * After a load: builds the funnels not built yet (every one when `rebuild`), brings the
   * others up to date for `changed` days, and drops the rows of funnels not in `funnels`.
   */
  async function sync(funnels: readonly SavedFunnel[], changed: readonly ChangedDay[], rebuild = false): Promise<void> {
    const built = new Set(
      (await sql<{ funnel_key: string }>`SELECT funnel_key FROM funnel_builds`.execute(db)).rows.map(
        (r) => r.funnel_key,
      ),
    );
    const saved = new Set(funnels.map((f) => f.key));
    for (const key of [...built].filter((k) => !saved.has(k)))
      await db.transaction().execute(async (tx) => {
        await sql`DELETE FROM ${sql.table(FUNNEL_DAYS_TABLE)} WHERE funnel_key = ${key}`.execute(tx);
        await sql`DELETE FROM funnel_builds WHERE funnel_key = ${key}`.execute(tx);
      });
    for (const funnel of funnels) {
      if (rebuild || !built.has(funnel.key)) {
        await build(funnel);
        continue;
      }
      const days = changed.filter((c) => c.tenantId === funnel.definition.tenantId).map((c) => c.day);
      for (const [from, to] of reachingRanges(days, daysReachedBack(funnel.definition)))
        await refresh(funnel, from, to);
    }
  }

  return { sync, build, refresh };
}

export type FunnelMaterializer = ReturnType<typeof createFunnelMaterializer>;

// biome-ignore lint/suspicious/noExplicitAny: curated tables are not typed
async function recordRefresh(tx: Kysely<any>, funnel: SavedFunnel): Promise<void> {
  await sql`DELETE FROM funnel_builds WHERE funnel_key = ${funnel.key}`.execute(tx);
  await sql`
    INSERT INTO funnel_builds (funnel_key, tenant_id, refreshed_at)
    VALUES (${funnel.key}, ${funnel.definition.tenantId}, CURRENT_TIMESTAMP)`.execute(tx);
}

/**
 * The day ranges [from, to) whose entries can see a changed day: each changed day and the
 * `back` days before it, overlapping ranges merged.
 */
export function reachingRanges(days: readonly string[], back: number): [string, string][] {
  const ranges: [string, string][] = [];
  for (const day of [...new Set(days)].sort()) {
    const from = plusDays(day, -back);
    const to = plusDays(day, 1);
    const last = ranges.at(-1);
    if (last && from <= last[1])
      last[1] = to; // days ascend: a later end
    else ranges.push([from, to]);
  }
  return ranges;
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function plusDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS));
}
