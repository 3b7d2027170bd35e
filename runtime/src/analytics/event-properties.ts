import type { SqlExpression, WarehouseSql } from '@livora/adapters/ports';
import { sql } from 'kysely';

/**
 * Properties a query can filter or break down by. Names starting with `$` are what the
 * pipeline derived (columns of the curated events table, as PostHog names its own
 * properties); any other name is a top-level key of the event's `properties`.
 */
export const DERIVED_PROPERTIES = {
  $channel: 'channel',
  $session_channel: 'session_channel',
  $geo_country: 'geo_country',
  $geo_region: 'geo_region',
  $geo_city: 'geo_city',
  $utm_source: 'utm_source',
  $utm_medium: 'utm_medium',
  $utm_campaign: 'utm_campaign',
  $referrer_host: 'referrer_host',
  $page_path: 'page_path',
  $browser: 'ua_browser',
  $os: 'ua_os',
  $device_type: 'ua_device_type',
} as const;

export type DerivedProperty = keyof typeof DERIVED_PROPERTIES;

export function isDerivedProperty(name: string): name is DerivedProperty {
  return Object.hasOwn(DERIVED_PROPERTIES, name);
}

/** The text value of property `name` of the event row `alias`. */
export function eventProperty(warehouse: WarehouseSql, alias: string, name: string): SqlExpression {
  if (name.startsWith('$')) {
    if (!isDerivedProperty(name)) throw new RangeError(`unknown derived property ${name}`);
    return sql.ref(`${alias}.${DERIVED_PROPERTIES[name]}`);
  }
  return warehouse.jsonText(sql.ref(`${alias}.properties`), name);
}
