import { CANONICAL_EVENT_VERSION, type CanonicalEventInput, type StoredEvent } from './canonical-event.ts';

export interface StampContext {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly receivedAt: Date;
  readonly newEventId: () => string;
  readonly schemaVersion?: number;
}

/**
 * Adds the server's envelope. Like Segment, a client timestamp is corrected for the
 * client's clock skew when the client says when it sent the batch (sent_at):
 * timestamp = received_at − (sent_at − timestamp).
 */
export function stampEvent(input: CanonicalEventInput, context: StampContext): StoredEvent {
  const receivedAt = context.receivedAt.getTime();
  let timestamp = context.receivedAt.toISOString();
  let original: string | undefined;
  if (input.timestamp !== undefined) {
    original = input.timestamp;
    // Date.parse cannot read a leap second (…T23:59:60Z), which ISO 8601 allows: read it as :59.999.
    const happened = parseTime(input.timestamp);
    const sent = input.sent_at === undefined ? Number.NaN : parseTime(input.sent_at);
    timestamp = new Date(Number.isNaN(sent) ? happened : receivedAt - (sent - happened)).toISOString();
  }
  return {
    ...input,
    v: CANONICAL_EVENT_VERSION,
    event_id: input.event_id ?? context.newEventId(),
    tenant_id: context.tenantId,
    source_id: context.sourceId,
    timestamp,
    ...(original !== undefined && original !== timestamp ? { original_timestamp: original } : {}),
    received_at: context.receivedAt.toISOString(),
    ...(context.schemaVersion !== undefined ? { schema_version: context.schemaVersion } : {}),
  };
}

function parseTime(text: string): number {
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? Date.parse(text.replace(/:60(\.\d+)?/, ':59.999')) : parsed;
}
