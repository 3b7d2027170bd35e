import type { WarehouseSql } from '@livora/adapters/ports';
import { type RawBuilder, sql } from 'kysely';
import { ORDER_COMPLETED } from '../../events/commerce-events.ts';

/** One of a person's latest events, as the contact 360 shows it. */
export interface TimelineEvent {
  readonly eventId: string;
  readonly type: string;
  /** The track event's name, or the page or screen's. */
  readonly name: string | null;
  readonly timestamp: string;
  readonly pagePath: string | null;
}

/** One of a person's latest orders (`Order Completed` events). */
export interface TimelineOrder {
  readonly eventId: string;
  readonly orderId: string | null;
  readonly timestamp: string;
  readonly revenue: string | null;
  readonly currency: string | null;
}

export interface PersonTimeline {
  readonly events: TimelineEvent[];
  readonly orders: TimelineOrder[];
}

type Row = Record<string, unknown>;

/** A person's latest `limit` events (orders only, with `orders`), newest first, from the warehouse's events. */
export function personEventsQuery(
  warehouse: WarehouseSql,
  tenantId: string,
  personId: string,
  limit: number,
  orders = false,
): RawBuilder<Row> {
  return sql<Row>`
    SELECT e.event_id, e.type, COALESCE(e.event, e.name) AS name, e."timestamp" AS at, e.page_path,
           e.order_id, e.revenue, e.currency
    FROM events AS e
    WHERE e.tenant_id = ${tenantId} AND e.person_id = ${personId}
      ${orders ? sql`AND e.type = 'track' AND e.event = ${ORDER_COMPLETED}` : sql``}
    ORDER BY e."timestamp" DESC, e.event_id DESC
    ${warehouse.firstRows(limit)}`;
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

export function shapeTimeline(events: readonly Row[], orders: readonly Row[]): PersonTimeline {
  return {
    events: events.map((r) => ({
      eventId: String(r.event_id),
      type: String(r.type),
      name: text(r.name),
      timestamp: iso(r.at),
      pagePath: text(r.page_path),
    })),
    orders: orders.map((r) => ({
      eventId: String(r.event_id),
      orderId: text(r.order_id),
      timestamp: iso(r.at),
      revenue: text(r.revenue),
      currency: text(r.currency),
    })),
  };
}
