import { type EventStream, StreamUnavailableError } from '@livora/adapters/ports';
import { type ErrorCode, LivoraError } from '../errors.ts';
import { type CanonicalEventInput, MAX_EVENT_BYTES, type StoredEvent } from '../events/canonical-event.ts';
import { checkCanonicalEvent } from '../events/check-event.ts';
import { findNul } from '../events/find-nul.ts';
import { stampEvent } from '../events/stamp-event.ts';
import type { SchemaRegistry } from '../schema-registry/registry.ts';

export interface AcceptedEvent {
  readonly index: number;
  readonly event_id: string;
  readonly partition: string;
  readonly offset: string;
}

export interface RejectedEvent {
  readonly index: number;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface IngestResult {
  readonly accepted: AcceptedEvent[];
  readonly rejected: RejectedEvent[];
}

export interface IngestDeps {
  readonly stream: EventStream;
  readonly schemas: Pick<SchemaRegistry, 'forTenant'>;
  readonly now: () => Date;
  readonly newEventId: () => string;
  /** Told of the events appended to the log (the live feed). */
  readonly onAccepted?: (tenantId: string, events: readonly StoredEvent[]) => void;
}

/**
 * Ingestion: check each event (canonical schema, then the tenant's schema of its name),
 * stamp the envelope, append the valid ones to the event log, and answer per event.
 * Valid events are accepted even when others of the batch are not. No per-event lookup:
 * a re-sent event_id is appended again and dropped by the pipeline's dedupe.
 */
export function createIngestService(deps: IngestDeps) {
  return {
    async ingest(input: { tenantId: string; sourceId: string; events: readonly unknown[] }): Promise<IngestResult> {
      const receivedAt = deps.now();
      const schemas = await deps.schemas.forTenant(input.tenantId);
      const rejected: RejectedEvent[] = [];
      const records: { partitionKey: string; payload: string }[] = [];
      const pending: { index: number; event_id: string }[] = [];
      const appended: StoredEvent[] = [];

      input.events.forEach((raw, index) => {
        const checked = checkCanonicalEvent(raw);
        if (!checked.ok) {
          rejected.push({ index, code: checked.code, message: checked.message });
          return;
        }
        const event: CanonicalEventInput = checked.event;
        let schemaVersion: number | undefined;
        if (event.type === 'track') {
          const verdict = schemas.check(event.event, event.properties);
          if (verdict?.error) {
            rejected.push({
              index,
              code: 'LIVORA_EVENT_SCHEMA_MISMATCH',
              message: `properties do not match schema "${event.event}" v${verdict.version}: ${verdict.error}`,
            });
            return;
          }
          schemaVersion = verdict?.version;
        }
        const stored = stampEvent(event, {
          tenantId: input.tenantId,
          sourceId: input.sourceId,
          receivedAt,
          newEventId: deps.newEventId,
          ...(schemaVersion !== undefined ? { schemaVersion } : {}),
        });
        const payload = JSON.stringify(stored);
        if (payload.length * 3 > MAX_EVENT_BYTES && Buffer.byteLength(payload) > MAX_EVENT_BYTES) {
          rejected.push({
            index,
            code: 'LIVORA_EVENT_TOO_LARGE',
            message: `the event is ${Buffer.byteLength(payload)} bytes`,
          });
          return;
        }
        // The escape is in the text of almost no event: only then is the event walked.
        const nulAt = payload.includes('\\u0000') ? findNul(stored) : null;
        if (nulAt !== null) {
          rejected.push({
            index,
            code: 'LIVORA_EVENT_INVALID',
            message: `${nulAt}: text may not contain NUL (U+0000)`,
          });
          return;
        }
        // One person's events stay in one partition, in order (sessions and identity need that).
        records.push({ partitionKey: `${input.tenantId}:${stored.anonymous_id ?? stored.user_id}`, payload });
        pending.push({ index, event_id: stored.event_id });
        appended.push(stored);
      });

      let positions: { partition: string; offset: string }[] = [];
      try {
        positions = await deps.stream.append(records);
      } catch (error) {
        if (error instanceof StreamUnavailableError) {
          throw new LivoraError(
            'LIVORA_INGEST_LOG_UNAVAILABLE',
            'the event log cannot take writes right now; retry',
            undefined,
            {
              'retry-after': '5',
            },
          );
        }
        throw error;
      }
      deps.onAccepted?.(input.tenantId, appended);
      const accepted = pending.map((p, i) => ({ ...p, ...(positions[i] as { partition: string; offset: string }) }));
      return { accepted, rejected };
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
