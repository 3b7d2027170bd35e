import type { Warehouse } from '@livora/adapters/ports';
import { sql } from 'kysely';

/** The curated events table's columns the analytics queries read. */
export interface CuratedEvent {
  readonly tenant_id: string;
  readonly event_id: string;
  readonly person_id: string;
  readonly type: 'track' | 'page' | 'screen' | 'identify';
  readonly event: string | null;
  readonly timestamp: Date;
  readonly properties: Record<string, unknown>;
  readonly channel: string | null;
  readonly geo_country: string | null;
  readonly session_channel?: string | null;
  /** Set on `Order Completed` only: exact decimal text, and its currency. */
  readonly revenue?: string | null;
  readonly currency?: string | null;
}

/**
 * Event number `index` of a generated world: its id from the index, one in every
 * `otherTenantEvery` belonging to another tenant (queries must not see it), and what a
 * test does not set left empty.
 */
export function generatedEvent(
  index: number,
  otherTenantEvery: number,
  fields: Pick<CuratedEvent, 'person_id' | 'type' | 'event' | 'timestamp'> & Partial<CuratedEvent>,
): CuratedEvent {
  return {
    tenant_id: index % otherTenantEvery === otherTenantEvery - 1 ? 'other-tenant' : 'acme',
    event_id: `ev${String(index).padStart(4, '0')}`,
    properties: {},
    channel: null,
    geo_country: null,
    ...fields,
  };
}

/**
 * Creates the curated events table on a test warehouse. JSON properties are text on
 * DuckDB and `json` on the PostgreSQL that stands in for Redshift (where they are text too,
 * but PostgreSQL reads keys only from json).
 */
export async function createEventsTable(warehouse: Warehouse): Promise<void> {
  const json = warehouse.sql.engine === 'duckdb' ? sql`VARCHAR` : sql`json`;
  await sql`DROP TABLE IF EXISTS events`.execute(warehouse.db);
  await sql`
    CREATE TABLE events (
      tenant_id VARCHAR NOT NULL, event_id VARCHAR NOT NULL, person_id VARCHAR NOT NULL,
      type VARCHAR NOT NULL, event VARCHAR, "timestamp" TIMESTAMPTZ NOT NULL, properties ${json},
      channel VARCHAR, session_channel VARCHAR, geo_country VARCHAR, geo_region VARCHAR, geo_city VARCHAR,
      utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR, referrer_host VARCHAR, page_path VARCHAR,
      ua_browser VARCHAR, ua_os VARCHAR, ua_device_type VARCHAR, revenue DECIMAL(20,4), currency VARCHAR,
      day DATE NOT NULL)`.execute(warehouse.db);
}

/** Replaces the table's rows with `events` (in the order given: arrival order must not matter). */
export async function putEvents(warehouse: Warehouse, events: readonly CuratedEvent[]): Promise<void> {
  await sql`DELETE FROM events`.execute(warehouse.db);
  for (let i = 0; i < events.length; i += 500) {
    const rows = events.slice(i, i + 500).map(
      (e) =>
        sql`(${e.tenant_id}, ${e.event_id}, ${e.person_id}, ${e.type}, ${e.event}, ${warehouse.sql.timestamp(e.timestamp)},
             ${JSON.stringify(e.properties)}, ${e.channel}, ${e.geo_country}, ${e.session_channel ?? null},
             CAST(${e.revenue ?? null} AS DECIMAL(20,4)), ${e.currency ?? null}, CAST(${e.timestamp.toISOString().slice(0, 10)} AS DATE))`,
    );
    await sql`
      INSERT INTO events (tenant_id, event_id, person_id, type, event, "timestamp", properties, channel, geo_country,
                          session_channel, revenue, currency, day)
      VALUES ${sql.join(rows)}`.execute(warehouse.db);
  }
}

/** The curated persons table's columns the analytics queries read. */
export interface CuratedPerson {
  readonly tenant_id: string;
  readonly person_id: string;
  readonly traits: Record<string, unknown>;
  readonly first_seen: Date;
}

export async function createPersonsTable(warehouse: Warehouse): Promise<void> {
  const json = warehouse.sql.engine === 'duckdb' ? sql`VARCHAR` : sql`json`;
  await sql`DROP TABLE IF EXISTS persons`.execute(warehouse.db);
  await sql`
    CREATE TABLE persons (tenant_id VARCHAR NOT NULL, person_id VARCHAR NOT NULL, traits ${json},
                          first_seen TIMESTAMPTZ NOT NULL)`.execute(warehouse.db);
}

export async function putPersons(warehouse: Warehouse, persons: readonly CuratedPerson[]): Promise<void> {
  await sql`DELETE FROM persons`.execute(warehouse.db);
  for (const p of persons)
    await sql`INSERT INTO persons VALUES (${p.tenant_id}, ${p.person_id}, ${JSON.stringify(p.traits)},
              ${warehouse.sql.timestamp(p.first_seen)})`.execute(warehouse.db);
}
