import type { Cell, ColumnSpec } from '@livora/adapters/ports';
import type { PipelineEvent } from '../pipeline-event.ts';
import { orderOf } from '../steps/profiles.ts';

/** The lake's event table: the canonical event, what the pipeline derived, and where it came from. */
export const EVENT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'event_id', type: 'VARCHAR' },
  { name: 'tenant_id', type: 'VARCHAR' },
  { name: 'type', type: 'VARCHAR' },
  { name: 'event', type: 'VARCHAR' },
  { name: 'name', type: 'VARCHAR' },
  { name: 'category', type: 'VARCHAR' },
  { name: 'person_id', type: 'UUID' },
  { name: 'session_id', type: 'UUID' },
  { name: 'user_id', type: 'VARCHAR' },
  { name: 'anonymous_id', type: 'VARCHAR' },
  { name: 'group_id', type: 'VARCHAR' },
  { name: 'previous_id', type: 'VARCHAR' },
  { name: 'timestamp', type: 'TIMESTAMPTZ' },
  { name: 'original_timestamp', type: 'TIMESTAMPTZ' },
  { name: 'received_at', type: 'TIMESTAMPTZ' },
  { name: 'properties', type: 'VARCHAR' },
  { name: 'traits', type: 'VARCHAR' },
  { name: 'context', type: 'VARCHAR' },
  { name: 'geo_country', type: 'VARCHAR' },
  { name: 'geo_region', type: 'VARCHAR' },
  { name: 'geo_city', type: 'VARCHAR' },
  { name: 'geo_latitude', type: 'DOUBLE' },
  { name: 'geo_longitude', type: 'DOUBLE' },
  { name: 'utm_source', type: 'VARCHAR' },
  { name: 'utm_medium', type: 'VARCHAR' },
  { name: 'utm_campaign', type: 'VARCHAR' },
  { name: 'utm_term', type: 'VARCHAR' },
  { name: 'utm_content', type: 'VARCHAR' },
  { name: 'channel', type: 'VARCHAR' },
  { name: 'session_channel', type: 'VARCHAR' },
  { name: 'referrer_host', type: 'VARCHAR' },
  { name: 'page_url', type: 'VARCHAR' },
  { name: 'page_path', type: 'VARCHAR' },
  { name: 'ua_browser', type: 'VARCHAR' },
  { name: 'ua_browser_version', type: 'VARCHAR' },
  { name: 'ua_os', type: 'VARCHAR' },
  { name: 'ua_os_version', type: 'VARCHAR' },
  { name: 'ua_device_type', type: 'VARCHAR' },
  { name: 'order_id', type: 'VARCHAR' },
  { name: 'revenue', type: 'DECIMAL(20,4)' },
  { name: 'currency', type: 'VARCHAR' },
  { name: 'schema_version', type: 'INTEGER' },
  { name: 'source_partition', type: 'VARCHAR' },
  { name: 'source_offset', type: 'VARCHAR' },
];

const text = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));
const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

export function eventRow(item: PipelineEvent): Cell[] {
  const e = item.event as PipelineEvent['event'] & {
    event?: string;
    name?: string;
    category?: string;
    group_id?: string;
    previous_id?: string;
    properties?: Record<string, unknown>;
    traits?: Record<string, unknown>;
  };
  const d = item.derived;
  const order = e.type === 'track' && e.properties ? orderOf(e.properties) : null;
  return [
    e.event_id,
    e.tenant_id,
    e.type,
    text(e.event),
    text(e.name),
    text(e.category),
    text(d.person_id),
    text(d.session_id),
    text(e.user_id),
    text(e.anonymous_id),
    text(e.group_id),
    text(e.previous_id),
    e.timestamp,
    text(e.original_timestamp),
    e.received_at,
    json(e.properties),
    json(e.traits),
    json(e.context),
    text(d.geo_country),
    text(d.geo_region),
    text(d.geo_city),
    d.geo_latitude ?? null,
    d.geo_longitude ?? null,
    text(d.utm_source),
    text(d.utm_medium),
    text(d.utm_campaign),
    text(d.utm_term),
    text(d.utm_content),
    text(d.channel),
    text(d.session_channel),
    text(d.referrer_host),
    text(d.page_url),
    text(d.page_path),
    text(d.ua_browser),
    text(d.ua_browser_version),
    text(d.ua_os),
    text(d.ua_os_version),
    text(d.ua_device_type),
    order ? text(e.properties?.order_id) : null,
    order ? order.amount : null,
    order ? order.currency : null,
    e.schema_version ?? null,
    item.partition,
    item.offset,
  ];
}
