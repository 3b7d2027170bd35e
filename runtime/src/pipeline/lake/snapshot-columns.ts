import type { ColumnSpec } from '@livora/adapters/ports';

/** The lake's session snapshots: a session as it stood when a range touching it was written. */
export const SESSION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'session_id', type: 'UUID' },
  { name: 'tenant_id', type: 'VARCHAR' },
  { name: 'person_id', type: 'UUID' },
  { name: 'started_at', type: 'TIMESTAMPTZ' },
  { name: 'ended_at', type: 'TIMESTAMPTZ' },
  { name: 'duration_seconds', type: 'DOUBLE' },
  { name: 'page_views', type: 'INTEGER' },
  { name: 'events', type: 'INTEGER' },
  { name: 'bounce', type: 'BOOLEAN' },
  { name: 'landing_page', type: 'VARCHAR' },
  { name: 'entry_channel', type: 'VARCHAR' },
  { name: 'utm_source', type: 'VARCHAR' },
  { name: 'utm_medium', type: 'VARCHAR' },
  { name: 'utm_campaign', type: 'VARCHAR' },
  { name: 'utm_term', type: 'VARCHAR' },
  { name: 'utm_content', type: 'VARCHAR' },
  { name: 'snapshot_at', type: 'TIMESTAMPTZ' },
];

/** The lake's profile snapshots: a person's profile as it stood when a range touching it was written. */
export const PROFILE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'person_id', type: 'UUID' },
  { name: 'tenant_id', type: 'VARCHAR' },
  { name: 'user_id', type: 'VARCHAR' },
  { name: 'traits', type: 'VARCHAR' },
  { name: 'first_seen', type: 'TIMESTAMPTZ' },
  { name: 'last_seen', type: 'TIMESTAMPTZ' },
  { name: 'event_count', type: 'BIGINT' },
  { name: 'session_count', type: 'INTEGER' },
  { name: 'last_channel', type: 'VARCHAR' },
  { name: 'order_count', type: 'INTEGER' },
  { name: 'revenue', type: 'VARCHAR' },
  { name: 'snapshot_at', type: 'TIMESTAMPTZ' },
];
