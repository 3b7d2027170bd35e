import type { ColumnType } from 'kysely';

/** The runtime's tables, as Kysely sees them (the adapters' tables are theirs). */
export interface Tables {
  tenants: {
    id: string;
    name: string;
    created_at: ColumnType<Date, never, never>;
  };
  write_keys: {
    id: string;
    tenant_id: string;
    name: string;
    key_hash: string;
    key_prefix: string;
    rate_per_second: number | null;
    burst: number | null;
    created_at: ColumnType<Date, never, never>;
    revoked_at: Date | null;
  };
  event_schemas: {
    tenant_id: string;
    event_name: string;
    version: number;
    schema: ColumnType<unknown, string, never>;
    description: string | null;
    created_at: ColumnType<Date, never, never>;
  };
}
