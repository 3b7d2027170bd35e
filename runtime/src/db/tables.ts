import type { ColumnType } from 'kysely';

/** The runtime's tables, as Kysely sees them (the adapters' tables are theirs). */
export interface Tables {
  tenants: {
    id: string;
    name: string;
    truncate_ip: ColumnType<boolean, boolean | undefined, boolean>;
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
  users: {
    id: string;
    tenant_id: string;
    email: string;
    name: string;
    role: string;
    password_hash: string | null;
    oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
    failed_logins: ColumnType<number, number | undefined, number>;
    locked_until: Date | null;
    created_at: ColumnType<Date, never, never>;
    disabled_at: Date | null;
    team_id: string | null;
  };
  teams: { id: string; tenant_id: string; name: string };
  pipelines: { id: string; tenant_id: string; name: string; created_at: ColumnType<Date, never, never> };
  stages: {
    id: string;
    tenant_id: string;
    pipeline_id: string;
    name: string;
    position: number;
    probability: ColumnType<string, string | number | undefined, string | number>;
  };
  deals: CrmRecordColumns & {
    name: string;
    amount: string | null;
    currency: string | null;
    close_date: string | null;
    pipeline_id: string;
    stage_id: string;
    position: number;
    company_id: string | null;
    contact_id: string | null;
    status: ColumnType<'open' | 'won' | 'lost', 'open' | 'won' | 'lost' | undefined, 'open' | 'won' | 'lost'>;
    lost_reason: string | null;
    closed_at: Date | null;
  };
  activities: CrmRecordColumns & {
    kind: 'task' | 'call' | 'meeting' | 'note' | 'email';
    subject: string;
    body: string | null;
    due_at: Date | null;
    occurred_at: Date | null;
    completed_at: Date | null;
    assignee_id: string | null;
    contact_id: string | null;
    company_id: string | null;
    deal_id: string | null;
  };
  refresh_tokens: {
    token_hash: string;
    family_id: string;
    user_id: string;
    tenant_id: string;
    expires_at: Date;
    created_at: ColumnType<Date, never, never>;
    replaced_at: Date | null;
    revoked_at: Date | null;
  };
  audit_log: {
    id: ColumnType<string, never, never>;
    tenant_id: string;
    actor: string;
    action: string;
    entity: string;
    entity_id: string | null;
    before: ColumnType<unknown, string | null, never>;
    after: ColumnType<unknown, string | null, never>;
    request_id: string | null;
    at: ColumnType<Date, never, never>;
  };
  companies: CrmRecordColumns & {
    name: string;
    domain: string | null;
    industry: string | null;
  };
  contacts: CrmRecordColumns & {
    email: string | null;
    phone: string | null;
    first_name: string | null;
    last_name: string | null;
    company_id: string | null;
    person_id: string | null;
  };
  custom_fields: {
    tenant_id: string;
    entity: 'contact' | 'company' | 'deal' | 'activity';
    key: string;
    label: string;
    type: 'text' | 'number' | 'boolean' | 'date' | 'select' | 'multi_select';
    options: string[];
    required: boolean;
    created_at: ColumnType<Date, never, never>;
  };
  segments: {
    id: string;
    tenant_id: string;
    name: string;
    description: string | null;
    created_by: string;
    created_at: ColumnType<Date, never, never>;
  };
  segment_members: {
    tenant_id: string;
    segment_id: string;
    contact_id: string;
    added_at: ColumnType<Date, never, never>;
  };
  crm_jobs: {
    id: string;
    tenant_id: string;
    requested_by: string;
    action: string;
    status: 'running' | 'succeeded' | 'failed';
    total: number | null;
    done: ColumnType<number, number | undefined, number>;
    result: ColumnType<unknown, string | null | undefined, string | null>;
    error: ColumnType<unknown, string | null | undefined, string | null>;
    created_at: ColumnType<Date, never, never>;
    heartbeat_at: ColumnType<Date, never, Date>;
    finished_at: Date | null;
  };
  oidc_logins: {
    state: string;
    code_verifier: string;
    nonce: string;
    return_to: string | null;
    created_at: ColumnType<Date, never, never>;
  };
  crm_profile_sync: { singleton: boolean; synced_until: Date };
  saved_funnels: {
    id: string;
    tenant_id: string;
    name: string;
    definition: ColumnType<unknown, string, never>;
    created_at: ColumnType<Date, never, never>;
  };
  pipeline_leases: { partition: string; owner: string; expires_at: Date };
  pipeline_members: { owner: string; seen_at: Date };
  lake_pending: { partition: string; first_offset: string; last_offset: string; keys: string[] };
  processed_events: {
    tenant_id: string;
    event_id: string;
    partition: string;
    offset: string;
    person_id: string | null;
    session_id: string | null;
    seen_at: ColumnType<Date, Date | undefined, Date>;
  };
  persons: {
    tenant_id: string;
    person_id: string;
    user_id: string | null;
    merged_into: string | null;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
  person_ids: { tenant_id: string; distinct_id: string; person_id: string };
  anonymous_users: { tenant_id: string; anonymous_id: string; user_id: string };
  sessions: {
    tenant_id: string;
    session_id: string;
    person_id: string;
    started_at: Date;
    ended_at: Date;
    page_views: number;
    events: number;
    landing_page: string | null;
    entry_channel: string;
    utm_source: string | null;
    utm_medium: string | null;
    utm_campaign: string | null;
    utm_term: string | null;
    utm_content: string | null;
  };
  profiles: {
    tenant_id: string;
    person_id: string;
    user_id: string | null;
    traits: unknown;
    trait_times: unknown;
    first_seen: Date;
    last_seen: Date;
    event_count: ColumnType<string, number | string, number | string>;
    session_count: number;
    last_channel: string | null;
    order_count: number;
    updated_at: ColumnType<Date, Date | undefined, Date>;
  };
  profile_revenue: { tenant_id: string; person_id: string; currency: string; orders: number; revenue: string };
  dead_letters: {
    id: ColumnType<string, never, never>;
    tenant_id: string | null;
    partition: string;
    offset: string;
    step: string;
    error: string;
    payload: string;
    created_at: ColumnType<Date, never, never>;
    replayed_at: Date | null;
  };
}

/** What every CRM record has: identity, tenant, version (optimistic concurrency), owner, tags, custom fields. */
interface CrmRecordColumns {
  id: string;
  tenant_id: string;
  version: ColumnType<number, number | undefined, number>;
  owner_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  /** The trigram search's text (no longer indexed), kept for the previous image until the next minor version. */
  search: ColumnType<string, never, never>;
  words: ColumnType<string, never, never>;
}
