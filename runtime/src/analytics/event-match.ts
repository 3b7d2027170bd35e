import type { SqlExpression, WarehouseSql } from '@livora/adapters/ports';
import { sql } from 'kysely';
import { filterCondition, type PropertyFilter } from './property-filter.ts';

/**
 * Which events a query counts: `$pageview` and `$screen` match page and screen events,
 * `$any` every event, any other name `track` events of that name; filters narrow it.
 */
export interface EventMatch {
  readonly event: string;
  readonly filters?: readonly PropertyFilter[];
}

/** The condition for `match` on the event row `alias`. */
export function matchCondition(warehouse: WarehouseSql, alias: string, match: EventMatch): SqlExpression {
  const type = sql.ref(`${alias}.type`);
  const kind =
    match.event === '$any'
      ? sql`1 = 1`
      : match.event === '$pageview'
        ? sql`${type} = 'page'`
        : match.event === '$screen'
          ? sql`${type} = 'screen'`
          : sql`(${type} = 'track' AND ${sql.ref(`${alias}.event`)} = ${match.event})`;
  const filters = (match.filters ?? []).map((filter) => filterCondition(warehouse, alias, filter));
  return sql.join([kind, ...filters], sql` AND `);
}
