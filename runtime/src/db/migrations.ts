import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The channel on which triggers announce changes to write keys and schemas (`table:tenant`). */
export const CHANGES_CHANNEL = 'livora_changes';

/**
 * The runtime's tables. Caches in every process follow changes to keys and schemas
 * through NOTIFY on CHANGES_CHANNEL (see the ChangeFeed port).
 */
export const runtimeMigrations: Readonly<Record<string, Migration>> = {
  '2026_11_25_0200_tenants_and_keys': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE tenants (
          id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$'),
          name text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`
        CREATE TABLE write_keys (
          id text PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          name text NOT NULL,
          key_hash text NOT NULL UNIQUE,
          key_prefix text NOT NULL,
          rate_per_second integer CHECK (rate_per_second > 0),
          burst integer CHECK (burst >= 100),
          created_at timestamptz NOT NULL DEFAULT now(),
          revoked_at timestamptz
        )`.execute(db);
      await sql`CREATE INDEX write_keys_tenant ON write_keys (tenant_id)`.execute(db);
      await sql`
        CREATE FUNCTION livora_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            PERFORM pg_notify('livora_changes', TG_TABLE_NAME || ':' || OLD.tenant_id);
          ELSE
            PERFORM pg_notify('livora_changes', TG_TABLE_NAME || ':' || NEW.tenant_id);
          END IF;
          RETURN NULL;
        END
        $fn$`.execute(db);
      await sql`
        CREATE TRIGGER write_keys_changed AFTER INSERT OR UPDATE OR DELETE ON write_keys
        FOR EACH ROW EXECUTE FUNCTION livora_notify_change()`.execute(db);
    },
  },
  '2026_11_25_0210_event_schemas': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE event_schemas (
          tenant_id text NOT NULL REFERENCES tenants (id),
          event_name text NOT NULL CHECK (length(event_name) BETWEEN 1 AND 200),
          version integer NOT NULL CHECK (version > 0),
          schema jsonb NOT NULL,
          description text,
          created_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (tenant_id, event_name, version)
        )`.execute(db);
      await sql`
        CREATE TRIGGER event_schemas_changed AFTER INSERT OR UPDATE OR DELETE ON event_schemas
        FOR EACH ROW EXECUTE FUNCTION livora_notify_change()`.execute(db);
    },
  },
};
