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
  '2026_11_25_0300_pipeline': {
    async up(db: Kysely<unknown>) {
      await sql`ALTER TABLE tenants ADD COLUMN truncate_ip boolean NOT NULL DEFAULT false`.execute(db);
      // Partitions shared by pipeline processes: a lease is renewed by its owner, taken over once expired.
      await sql`
        CREATE TABLE pipeline_leases (
          partition text PRIMARY KEY,
          owner text NOT NULL,
          expires_at timestamptz NOT NULL
        )`.execute(db);
      await sql`
        CREATE TABLE pipeline_members (
          owner text PRIMARY KEY,
          seen_at timestamptz NOT NULL
        )`.execute(db);
      // Lake files being written and not yet covered by a checkpoint: removed as orphans after a crash.
      await sql`
        CREATE TABLE lake_pending (
          partition text NOT NULL,
          first_offset numeric NOT NULL,
          last_offset numeric NOT NULL,
          keys text[] NOT NULL,
          PRIMARY KEY (partition, first_offset)
        )`.execute(db);
      // Every processed event, for the dedupe window: where it was first seen and what the
      // pipeline derived for it, so a replay after a crash reproduces the same rows.
      await sql`
        CREATE TABLE processed_events (
          tenant_id text NOT NULL,
          event_id text NOT NULL,
          partition text NOT NULL,
          "offset" numeric NOT NULL,
          person_id uuid,
          session_id uuid,
          seen_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (tenant_id, event_id)
        )`.execute(db);
      await sql`CREATE INDEX processed_events_seen_at ON processed_events USING brin (seen_at)`.execute(db);
      // The identity graph: each distinct id (a: anonymous id, u: user id) belongs to one person.
      await sql`
        CREATE TABLE persons (
          tenant_id text NOT NULL,
          person_id uuid NOT NULL,
          user_id text,
          merged_into uuid,
          created_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (tenant_id, person_id)
        )`.execute(db);
      await sql`
        CREATE TABLE person_ids (
          tenant_id text NOT NULL,
          distinct_id text NOT NULL,
          person_id uuid NOT NULL,
          PRIMARY KEY (tenant_id, distinct_id)
        )`.execute(db);
      await sql`CREATE INDEX person_ids_person ON person_ids (tenant_id, person_id)`.execute(db);
      // Users seen with each anonymous id: past a threshold the id is a shared device, never merged.
      await sql`
        CREATE TABLE anonymous_users (
          tenant_id text NOT NULL,
          anonymous_id text NOT NULL,
          user_id text NOT NULL,
          PRIMARY KEY (tenant_id, anonymous_id, user_id)
        )`.execute(db);
      await sql`
        CREATE TABLE sessions (
          tenant_id text NOT NULL,
          session_id uuid NOT NULL,
          person_id uuid NOT NULL,
          started_at timestamptz NOT NULL,
          ended_at timestamptz NOT NULL,
          page_views integer NOT NULL,
          events integer NOT NULL,
          landing_page text,
          entry_channel text NOT NULL,
          utm_source text,
          utm_medium text,
          utm_campaign text,
          utm_term text,
          utm_content text,
          PRIMARY KEY (tenant_id, session_id)
        )`.execute(db);
      await sql`CREATE INDEX sessions_person ON sessions (tenant_id, person_id, ended_at DESC)`.execute(db);
      await sql`
        CREATE TABLE profiles (
          tenant_id text NOT NULL,
          person_id uuid NOT NULL,
          user_id text,
          traits jsonb NOT NULL DEFAULT '{}',
          trait_times jsonb NOT NULL DEFAULT '{}',
          first_seen timestamptz NOT NULL,
          last_seen timestamptz NOT NULL,
          event_count bigint NOT NULL DEFAULT 0,
          session_count integer NOT NULL DEFAULT 0,
          last_channel text,
          order_count integer NOT NULL DEFAULT 0,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (tenant_id, person_id)
        )`.execute(db);
      // Money is summed as DECIMAL per currency, never as a float and never across currencies.
      await sql`
        CREATE TABLE profile_revenue (
          tenant_id text NOT NULL,
          person_id uuid NOT NULL,
          currency text NOT NULL,
          orders integer NOT NULL,
          revenue numeric(20, 4) NOT NULL,
          PRIMARY KEY (tenant_id, person_id, currency)
        )`.execute(db);
      // Latest-wins per trait: the value whose time (in the *_times object) is later.
      await sql`
        CREATE FUNCTION livora_merge_traits(a jsonb, a_times jsonb, b jsonb, b_times jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE AS $fn$
          SELECT COALESCE(jsonb_object_agg(k, CASE
            WHEN b ? k AND (NOT a ? k OR COALESCE((b_times->>k)::timestamptz, '-infinity') > COALESCE((a_times->>k)::timestamptz, '-infinity'))
            THEN b->k ELSE a->k END), '{}'::jsonb)
          FROM (SELECT jsonb_object_keys(a) AS k UNION SELECT jsonb_object_keys(b)) AS keys
        $fn$`.execute(db);
      await sql`
        CREATE FUNCTION livora_merge_trait_times(a jsonb, b jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE AS $fn$
          SELECT COALESCE(jsonb_object_agg(k, CASE
            WHEN b ? k AND (NOT a ? k OR (b->>k)::timestamptz > (a->>k)::timestamptz) THEN b->k ELSE a->k END), '{}'::jsonb)
          FROM (SELECT jsonb_object_keys(a) AS k UNION SELECT jsonb_object_keys(b)) AS keys
        $fn$`.execute(db);
      await sql`
        CREATE TABLE dead_letters (
          id bigserial PRIMARY KEY,
          tenant_id text,
          partition text NOT NULL,
          "offset" numeric NOT NULL,
          step text NOT NULL,
          error text NOT NULL,
          payload text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          replayed_at timestamptz,
          UNIQUE (partition, "offset")
        )`.execute(db);
    },
  },
  '2026_11_26_0100_persons_merged_into': {
    async up(db: Kysely<unknown>) {
      // A merge repoints the persons already merged into the absorbed one: found by index, not a scan.
      await sql`CREATE INDEX persons_merged_into ON persons (tenant_id, merged_into) WHERE merged_into IS NOT NULL`.execute(
        db,
      );
    },
  },
  '2026_11_26_0300_saved_funnels': {
    async up(db: Kysely<unknown>) {
      // The warehouse keeps each one's rows; these definitions are what the loads keep up to date.
      await sql`
        CREATE TABLE saved_funnels (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          name text NOT NULL,
          definition jsonb NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (tenant_id, name)
        )`.execute(db);
    },
  },
  '2026_11_26_0400_accounts_and_audit': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE users (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          email text NOT NULL CHECK (email = lower(email)),
          name text NOT NULL,
          role text NOT NULL,
          password_hash text NOT NULL,
          failed_logins integer NOT NULL DEFAULT 0,
          locked_until timestamptz,
          created_at timestamptz NOT NULL DEFAULT now(),
          disabled_at timestamptz,
          UNIQUE (tenant_id, email)
        )`.execute(db);
      // A login opens a family of refresh tokens; each refresh replaces the token it used.
      // A replaced token used again means it was stolen: the whole family is revoked.
      await sql`
        CREATE TABLE refresh_tokens (
          token_hash text PRIMARY KEY,
          family_id uuid NOT NULL,
          user_id uuid NOT NULL REFERENCES users (id),
          tenant_id text NOT NULL,
          expires_at timestamptz NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          replaced_at timestamptz,
          revoked_at timestamptz
        )`.execute(db);
      await sql`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`.execute(db);
      await sql`
        CREATE TABLE audit_log (
          id bigserial PRIMARY KEY,
          tenant_id text NOT NULL,
          actor text NOT NULL,
          action text NOT NULL,
          entity text NOT NULL,
          entity_id text,
          before jsonb,
          after jsonb,
          request_id text,
          at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id DESC)`.execute(db);
      // Append-only: history is never edited, whoever asks.
      await sql`
        CREATE FUNCTION livora_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only';
        END
        $fn$`.execute(db);
      await sql`
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION livora_audit_append_only()`.execute(db);
    },
  },
  '2026_11_26_0500_crm_contacts_and_companies': {
    async up(db: Kysely<unknown>) {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
      // CRM statements run as this role, with the tenant in livora.tenant_id: row-level
      // security then hides every other tenant's rows, whatever the query says. Roles are
      // the cluster's, shared by its databases: made once.
      await sql`
        DO $do$ BEGIN
          CREATE ROLE livora_tenant NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $do$`.execute(db);
      await sql`GRANT livora_tenant TO CURRENT_USER`.execute(db);
      await sql`
        CREATE TABLE companies (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          version integer NOT NULL DEFAULT 1,
          name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
          domain text CHECK (domain = lower(domain)),
          industry text,
          owner_id uuid REFERENCES users (id),
          tags text[] NOT NULL DEFAULT '{}',
          custom jsonb NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          search text GENERATED ALWAYS AS (lower(name || ' ' || coalesce(domain, ''))) STORED
        )`.execute(db);
      await sql`
        CREATE TABLE contacts (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          version integer NOT NULL DEFAULT 1,
          email text CHECK (email = lower(email)),
          phone text,
          first_name text,
          last_name text,
          company_id uuid REFERENCES companies (id) ON DELETE SET NULL,
          owner_id uuid REFERENCES users (id),
          person_id uuid,
          tags text[] NOT NULL DEFAULT '{}',
          custom jsonb NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          search text GENERATED ALWAYS AS (
            lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' ||
                  coalesce(phone, ''))) STORED
        )`.execute(db);
      for (const table of ['contacts', 'companies']) {
        const t = sql.raw(table);
        await sql`CREATE INDEX ${sql.raw(`${table}_search`)} ON ${t} USING gin (search gin_trgm_ops)`.execute(db);
        await sql`CREATE INDEX ${sql.raw(`${table}_created`)} ON ${t} (tenant_id, created_at, id)`.execute(db);
        // A list by owner, newest first (the common view) reads only the page it shows.
        await sql`CREATE INDEX ${sql.raw(`${table}_owner`)} ON ${t} (tenant_id, owner_id, created_at, id)`.execute(db);
        await sql`CREATE INDEX ${sql.raw(`${table}_tags`)} ON ${t} USING gin (tags)`.execute(db);
        await isolateByTenant(db, table);
      }
      await sql`CREATE UNIQUE INDEX contacts_email ON contacts (tenant_id, email) WHERE email IS NOT NULL`.execute(db);
      await sql`CREATE INDEX contacts_company ON contacts (tenant_id, company_id)`.execute(db);
      await sql`CREATE UNIQUE INDEX companies_domain ON companies (tenant_id, domain) WHERE domain IS NOT NULL`.execute(
        db,
      );
      // What CRM statements read or write beside their records: owners, and the audit log.
      await sql`GRANT SELECT (id, tenant_id, role, disabled_at) ON users TO livora_tenant`.execute(db);
      await sql`GRANT INSERT ON audit_log TO livora_tenant`.execute(db);
      await sql`GRANT USAGE ON SEQUENCE audit_log_id_seq TO livora_tenant`.execute(db);
    },
  },
  '2026_11_26_0600_crm_deals': {
    async up(db: Kysely<unknown>) {
      // Sales see the deals of their team: a user belongs to at most one.
      await sql`
        CREATE TABLE teams (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          name text NOT NULL,
          UNIQUE (tenant_id, name)
        )`.execute(db);
      await sql`ALTER TABLE users ADD COLUMN team_id uuid REFERENCES teams (id)`.execute(db);
      await sql`GRANT SELECT (team_id) ON users TO livora_tenant`.execute(db);
      await sql`
        CREATE TABLE pipelines (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          name text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (tenant_id, name)
        )`.execute(db);
      await sql`
        CREATE TABLE stages (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          pipeline_id uuid NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
          name text NOT NULL,
          position integer NOT NULL,
          probability numeric(5, 2) NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
          UNIQUE (pipeline_id, position)
        )`.execute(db);
      await sql`
        CREATE TABLE deals (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          version integer NOT NULL DEFAULT 1,
          name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
          amount numeric(20, 4),
          currency char(3),
          close_date date,
          pipeline_id uuid NOT NULL REFERENCES pipelines (id),
          stage_id uuid NOT NULL REFERENCES stages (id),
          position double precision NOT NULL,
          company_id uuid REFERENCES companies (id) ON DELETE SET NULL,
          contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
          status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
          lost_reason text,
          closed_at timestamptz,
          owner_id uuid REFERENCES users (id),
          tags text[] NOT NULL DEFAULT '{}',
          custom jsonb NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          search text GENERATED ALWAYS AS (lower(name)) STORED
        )`.execute(db);
      await sql`CREATE INDEX deals_board ON deals (tenant_id, stage_id, position)`.execute(db);
      await sql`CREATE INDEX deals_created ON deals (tenant_id, created_at, id)`.execute(db);
      await sql`CREATE INDEX deals_owner ON deals (tenant_id, owner_id, created_at, id)`.execute(db);
      await sql`CREATE INDEX deals_contact ON deals (tenant_id, contact_id)`.execute(db);
      await sql`CREATE INDEX deals_search ON deals USING gin (search gin_trgm_ops)`.execute(db);
      for (const table of ['teams', 'pipelines', 'stages', 'deals']) await isolateByTenant(db, table);
    },
  },
  '2026_11_26_0700_crm_activities': {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE activities (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          version integer NOT NULL DEFAULT 1,
          kind text NOT NULL CHECK (kind IN ('task', 'call', 'meeting', 'note', 'email')),
          subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
          body text,
          due_at timestamptz,
          occurred_at timestamptz,
          completed_at timestamptz,
          assignee_id uuid REFERENCES users (id),
          contact_id uuid REFERENCES contacts (id) ON DELETE CASCADE,
          company_id uuid REFERENCES companies (id) ON DELETE CASCADE,
          deal_id uuid REFERENCES deals (id) ON DELETE CASCADE,
          owner_id uuid REFERENCES users (id),
          tags text[] NOT NULL DEFAULT '{}',
          custom jsonb NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          search text GENERATED ALWAYS AS (lower(subject || ' ' || coalesce(body, ''))) STORED
        )`.execute(db);
      // The inbox: a user's open tasks by due date.
      await sql`
        CREATE INDEX activities_inbox ON activities (tenant_id, assignee_id, due_at, id)
        WHERE kind = 'task' AND completed_at IS NULL`.execute(db);
      await sql`CREATE INDEX activities_contact ON activities (tenant_id, contact_id, created_at DESC)`.execute(db);
      await sql`CREATE INDEX activities_deal ON activities (tenant_id, deal_id)`.execute(db);
      await sql`CREATE INDEX activities_created ON activities (tenant_id, created_at, id)`.execute(db);
      await sql`CREATE INDEX activities_search ON activities USING gin (search gin_trgm_ops)`.execute(db);
      await isolateByTenant(db, 'activities');
    },
  },
  '2026_11_26_0800_crm_search': {
    async up(db: Kysely<unknown>) {
      // Under row-level security PostgreSQL may not use a LIKE (not leakproof) as an index
      // condition, so trigram search would read every row. These functions search as the
      // tables' owner, within the tenant the transaction set (the value the policies check);
      // the queries around them name the tenant again.
      for (const table of ['contacts', 'companies', 'deals', 'activities']) {
        const name = sql.raw(`livora_search_${table}`);
        const t = sql.raw(table);
        const body =
          table === 'contacts'
            ? sql`
              SELECT m.* FROM contacts AS m
              WHERE m.tenant_id = current_setting('livora.tenant_id') AND m.search LIKE pattern
              UNION ALL
              SELECT m.* FROM contacts AS m
              WHERE m.tenant_id = current_setting('livora.tenant_id') AND m.search NOT LIKE pattern
                AND m.company_id IN (
                  SELECT co.id FROM companies AS co
                  WHERE co.tenant_id = current_setting('livora.tenant_id') AND co.search LIKE pattern)`
            : sql`SELECT m.* FROM ${t} AS m WHERE m.tenant_id = current_setting('livora.tenant_id') AND m.search LIKE pattern`;
        await sql`
          CREATE FUNCTION ${name}(pattern text) RETURNS SETOF ${t}
          LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
          AS $fn$ ${body} $fn$`.execute(db);
        await sql`REVOKE ALL ON FUNCTION ${name}(text) FROM PUBLIC`.execute(db);
        await sql`GRANT EXECUTE ON FUNCTION ${name}(text) TO livora_tenant`.execute(db);
      }
      // Imports name owners by email: CRM statements read the tenant's users, theirs only.
      await sql`ALTER TABLE users ENABLE ROW LEVEL SECURITY`.execute(db);
      await sql`CREATE POLICY tenant_rows ON users USING (tenant_id = current_setting('livora.tenant_id', true))`.execute(
        db,
      );
      await sql`GRANT SELECT (email) ON users TO livora_tenant`.execute(db);
    },
  },
  '2026_11_26_0900_crm_profile_sync': {
    async up(db: Kysely<unknown>) {
      // How far the profile → contact sync has read profiles.updated_at (one row).
      await sql`
        CREATE TABLE crm_profile_sync (
          singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
          synced_until timestamptz NOT NULL
        )`.execute(db);
      // BRIN: every profile upsert changes updated_at, and a BRIN index (unlike a B-tree) keeps those
      // updates HOT, so the pipeline's hot path pays nearly nothing for the sync's reads.
      await sql`CREATE INDEX profiles_updated ON profiles USING brin (updated_at)`.execute(db);
    },
  },
  '2026_11_27_0100_crm_custom_fields': {
    async up(db: Kysely<unknown>) {
      // A tenant's own typed fields per kind of record; the values live in each record's `custom`.
      await sql`
        CREATE TABLE custom_fields (
          tenant_id text NOT NULL REFERENCES tenants (id),
          entity text NOT NULL CHECK (entity IN ('contact', 'company', 'deal', 'activity')),
          key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
          label text NOT NULL,
          type text NOT NULL CHECK (type IN ('text', 'number', 'boolean', 'date', 'select', 'multi_select')),
          options text[] NOT NULL DEFAULT '{}',
          required boolean NOT NULL DEFAULT false,
          created_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (tenant_id, entity, key)
        )`.execute(db);
      await isolateByTenant(db, 'custom_fields');
      // Lists filtered by a custom value (custom @> {"key": value}).
      for (const table of ['contacts', 'companies', 'deals', 'activities'])
        await sql`CREATE INDEX ${sql.raw(`${table}_custom`)} ON ${sql.raw(table)} USING gin (custom jsonb_path_ops)`.execute(
          db,
        );
    },
  },
  '2026_11_27_0200_crm_segments_and_jobs': {
    async up(db: Kysely<unknown>) {
      // Static segments: lists of contacts a user keeps by hand or by bulk action.
      await sql`
        CREATE TABLE segments (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
          description text,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (tenant_id, name)
        )`.execute(db);
      await sql`
        CREATE TABLE segment_members (
          tenant_id text NOT NULL REFERENCES tenants (id),
          segment_id uuid NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
          contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
          added_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (segment_id, contact_id)
        )`.execute(db);
      await sql`CREATE INDEX segment_members_contact ON segment_members (tenant_id, contact_id)`.execute(db);
      // Bulk changes that outlast the request: their progress, then their outcome.
      await sql`
        CREATE TABLE crm_jobs (
          id uuid PRIMARY KEY,
          tenant_id text NOT NULL REFERENCES tenants (id),
          requested_by text NOT NULL,
          action text NOT NULL,
          status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
          total integer,
          done integer NOT NULL DEFAULT 0,
          result jsonb,
          error jsonb,
          created_at timestamptz NOT NULL DEFAULT now(),
          heartbeat_at timestamptz NOT NULL DEFAULT now(),
          finished_at timestamptz
        )`.execute(db);
      for (const table of ['segments', 'segment_members', 'crm_jobs']) await isolateByTenant(db, table);
    },
  },
  '2026_11_27_0300_audit_by_record': {
    async up(db: Kysely<unknown>) {
      // A record's history (GET /v1/audit?entity_id=…, and offline sync's last change of each field).
      await sql`CREATE INDEX audit_log_record ON audit_log (tenant_id, entity, entity_id, id DESC)`.execute(db);
    },
  },
  '2026_11_27_0400_oidc_logins': {
    async up(db: Kysely<unknown>) {
      // Users of an identity provider have no password here; they are known by the issuer's subject.
      await sql`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`.execute(db);
      await sql`ALTER TABLE users ADD COLUMN oidc_subject text`.execute(db);
      await sql`CREATE UNIQUE INDEX users_oidc_subject ON users (tenant_id, oidc_subject) WHERE oidc_subject IS NOT NULL`.execute(
        db,
      );
      // Console logins under way at the issuer: each state works once, for ten minutes.
      await sql`
        CREATE TABLE oidc_logins (
          state text PRIMARY KEY,
          code_verifier text NOT NULL,
          nonce text NOT NULL,
          return_to text,
          created_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
    },
  },
  '2026_11_27_0500_contacts_by_person_and_phone': {
    async up(db: Kysely<unknown>) {
      // Profiles with a phone and no email find their contact by person, else by the phone's digits.
      await sql`CREATE INDEX contacts_person ON contacts (tenant_id, person_id) WHERE person_id IS NOT NULL`.execute(
        db,
      );
      await sql`
        CREATE INDEX contacts_phone_digits ON contacts (tenant_id, regexp_replace(phone, '[^0-9+]', '', 'g'))
        WHERE phone IS NOT NULL`.execute(db);
    },
  },
  '2026_11_27_0600_audit_rows_by_tenant': {
    async up(db: Kysely<unknown>) {
      // Offline sync reads a record's history in the tenant's transaction: the CRM role may
      // read (and write) the audit rows of its tenant only.
      await sql`ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY`.execute(db);
      await sql`
        CREATE POLICY tenant_rows ON audit_log
        USING (tenant_id = current_setting('livora.tenant_id', true))
        WITH CHECK (tenant_id = current_setting('livora.tenant_id', true))`.execute(db);
      await sql`GRANT SELECT ON audit_log TO livora_tenant`.execute(db);
    },
  },
  '2026_11_28_0100_crm_word_search': {
    async up(db: Kysely<unknown>) {
      // Search finds words by their start (as CRMs do), from a word index: the trigram
      // index matched anywhere in the text but intersected long posting lists (a contact
      // search cost 5.8 ms of PostgreSQL; by words, 2.5). Punctuation, symbols and spaces
      // (ASCII, Latin-1, general, CJK and fullwidth ones: the same list as word-search.ts)
      // separate words, so an email's name and domain, a phone's groups and O’Brien's
      // parts are words; a phone's digits are one too.
      // The trigram columns and functions stay for the previous image (migrations only add
      // within a minor version: runbooks/rollback.md), and the next minor version drops
      // them. Their indexes go now: each changed row paid for both indexes (a bulk tag of
      // 10,000 contacts took 1.49-2.12 s; 1.35-1.39 s without the trigram one), and the previous image still
      // runs without them, searching by reading the tenant's rows.
      // Case is folded for every script (Émile, MÜLLER) where PostgreSQL has the built-in
      // UTF-8 collation (17 and later; the embedded server's own collation, C, folds A-Z
      // only); elsewhere by the database's collation. Queries fold with the same function.
      const { rows } = await sql<{ found: boolean }>`
        SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'pg_c_utf8') AS found`.execute(db);
      const folded = rows[0]?.found ? sql`lower(body COLLATE pg_c_utf8)` : sql`lower(body)`;
      await sql`
        CREATE FUNCTION livora_fold(body text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN ${folded}`.execute(db);
      await sql`
        CREATE FUNCTION livora_words(body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN to_tsvector('simple'::regconfig,
          regexp_replace(livora_fold(body) COLLATE "C", ${sql.lit(WORD_SEPARATORS)}, ' ', 'g'))`.execute(db);
      const words: Record<string, string> = {
        contacts: `coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' ||
                   coalesce(phone, '') || ' ' || coalesce(regexp_replace(phone, '[^0-9]', '', 'g'), '')`,
        companies: `name || ' ' || coalesce(domain, '')`,
        deals: 'name',
        activities: `subject || ' ' || coalesce(body, '')`,
      };
      for (const [table, text] of Object.entries(words)) {
        const t = sql.raw(table);
        await sql`DROP INDEX ${sql.raw(`${table}_search`)}`.execute(db);
        await sql`ALTER TABLE ${t} ADD COLUMN words tsvector GENERATED ALWAYS AS (livora_words(${sql.raw(text)})) STORED`.execute(
          db,
        );
        // Written through, not queued: a queue of pending entries is read by every search until it is merged.
        await sql`CREATE INDEX ${sql.raw(`${table}_words`)} ON ${t} USING gin (words) WITH (fastupdate = off)`.execute(
          db,
        );
        // The tenant's rows as their owner reads them: row-level security would forbid the
        // word index (@@ is not leakproof), so these views, like the policies, show the
        // tenant of the session setting only; the queries name the tenant again. Not a
        // security barrier (that too would forbid the index): a condition put on a view may
        // meet other tenants' rows first, so none may fail on a row's data (no casts of
        // stored values). A column added to the table later needs its view made again (a
        // test compares them).
        await sql`
          CREATE VIEW ${sql.raw(`${table}_in_tenant`)} AS
          SELECT * FROM ${t} WHERE tenant_id = current_setting('livora.tenant_id')`.execute(db);
        await sql`GRANT SELECT ON ${sql.raw(`${table}_in_tenant`)} TO livora_tenant`.execute(db);
      }
    },
  },
  '2026_11_29_0100_crm_word_statistics': {
    async up(db: Kysely<unknown>) {
      // Search walks the records for common words (crm/word-frequencies.ts reads how common
      // they are from these statistics). A prefix counts every word it starts: with the
      // default target (1,000 words listed) most words under 0.1% of the rows were missing,
      // so "smith1", which starts a dozen of them (1.2% of 1M contacts), looked rare.
      for (const table of ['contacts', 'companies', 'deals', 'activities'])
        await sql`ALTER TABLE ${sql.raw(table)} ALTER COLUMN words SET STATISTICS 1000`.execute(db);
    },
  },
};

/**
 * What separates words in the CRM's word index, as a PostgreSQL regular expression: ASCII
 * punctuation, symbols, spaces and control characters; Latin-1 punctuation and symbols (no-break space
 * included); general punctuation (’ – … and Unicode spaces); CJK and fullwidth punctuation.
 * `crm/word-search.ts` splits queries by this same expression.
 */
export const WORD_SEPARATORS =
  '[!-/:-@[-`{-~[:space:]\\x01-\\x1f\\x7f\\u00a0-\\u00bf\\u2000-\\u206f\\u3000-\\u303f\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65]+';

/** The CRM role may read and change the table's rows of the transaction's tenant only (row-level security). */
async function isolateByTenant(db: Kysely<unknown>, table: string): Promise<void> {
  const t = sql.raw(table);
  await sql`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY tenant_rows ON ${t}
    USING (tenant_id = current_setting('livora.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('livora.tenant_id', true))`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO livora_tenant`.execute(db);
}
