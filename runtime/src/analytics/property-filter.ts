import type { SqlExpression, WarehouseSql } from '@livora/adapters/ports';
import { sql } from 'kysely';
import { eventProperty } from './event-properties.ts';

/**
 * A condition on one property of an event. Values compare as text: strings as they are,
 * numbers and booleans as their JSON text (`42`, `true`). `contains` ignores case;
 * `regex` is a regular expression where the warehouse has them.
 */
export type PropertyFilter =
  | { readonly property: string; readonly operator: 'eq' | 'neq' | 'contains' | 'regex'; readonly value: string }
  | { readonly property: string; readonly operator: 'in' | 'not_in'; readonly value: readonly string[] }
  | { readonly property: string; readonly operator: 'is_set' | 'is_not_set' };

/** The SQL condition for `filter` on the event row `alias` (an absent property never equals anything). */
export function filterCondition(warehouse: WarehouseSql, alias: string, filter: PropertyFilter): SqlExpression {
  const value = eventProperty(warehouse, alias, filter.property);
  switch (filter.operator) {
    case 'eq':
      return sql`(${value} = ${filter.value})`;
    case 'neq':
      return sql`(${value} <> ${filter.value})`;
    case 'contains':
      return warehouse.contains(value, filter.value);
    case 'regex':
      return warehouse.matches(value, filter.value);
    case 'in':
      return sql`(${value} IN (${sql.join(filter.value.map((v) => sql`${v}`))}))`;
    case 'not_in':
      return sql`(${value} NOT IN (${sql.join(filter.value.map((v) => sql`${v}`))}))`;
    case 'is_set':
      return sql`(${value} IS NOT NULL)`;
    case 'is_not_set':
      return sql`(${value} IS NULL)`;
  }
}
