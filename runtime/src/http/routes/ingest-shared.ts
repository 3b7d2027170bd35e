import type { FastifySchemaValidationError } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../../auth/roles.ts';
import { LivoraError } from '../../errors.ts';
import { MAX_BATCH_EVENTS } from '../../events/canonical-event.ts';
import type { IngestResult, IngestService } from '../../ingest/ingest-service.ts';
import type { IngestRateLimit } from '../../ingest/rate-limit.ts';
import type { Metrics } from '../../observability/metrics.ts';

export const AcceptedEvent = Type.Object({
  index: Type.Integer({ description: 'Position of the event in the request.' }),
  event_id: Type.String(),
  partition: Type.String({ description: 'Event log partition.' }),
  offset: Type.String({ description: 'Offset in the partition where the event is durably written.' }),
});

export const RejectedEvent = Type.Object({
  index: Type.Integer({ description: 'Position of the event in the request.' }),
  code: Type.String({ description: 'Stable error code, e.g. LIVORA_EVENT_INVALID.' }),
  message: Type.String(),
});

export const IngestReply = Type.Object({
  accepted: Type.Array(AcceptedEvent),
  rejected: Type.Array(RejectedEvent),
});

/** A batch array's size errors get their own codes; anything else is a request error. */
export function batchSchemaErrors(field: string) {
  return (errors: FastifySchemaValidationError[], dataVar: string): Error => {
    for (const error of errors) {
      if (error.instancePath !== `/${field}`) continue;
      if (error.keyword === 'maxItems') {
        return new LivoraError('LIVORA_INGEST_BATCH_TOO_LARGE', `at most ${MAX_BATCH_EVENTS} events per request`);
      }
      if (error.keyword === 'minItems') return new LivoraError('LIVORA_INGEST_BATCH_EMPTY');
    }
    const detail = errors
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'}: ${e.message}`)
      .join('; ');
    return new LivoraError('LIVORA_HTTP_INVALID_REQUEST', `${dataVar} ${detail}`);
  };
}

/** Rate limit, ingest, count: the path every ingestion endpoint shares. */
export function createIngestHandler(deps: { ingest: IngestService; rateLimit: IngestRateLimit; metrics: Metrics }) {
  return async (principal: Principal, events: readonly unknown[]): Promise<IngestResult> => {
    try {
      await deps.rateLimit.take(principal, events.length);
    } catch (error) {
      if (error instanceof LivoraError)
        deps.metrics.rateLimited.inc({ scope: String(error.details?.scope ?? 'unknown') });
      throw error;
    }
    const sourceId = principal.kind === 'write-key' ? principal.keyId : `sub:${principal.subject}`;
    const stopTimer = deps.metrics.logAppend.startTimer();
    const result = await deps.ingest.ingest({ tenantId: principal.tenantId, sourceId, events });
    stopTimer();
    if (result.accepted.length > 0) deps.metrics.eventsAccepted.inc(result.accepted.length);
    for (const rejected of result.rejected) deps.metrics.eventsRejected.inc({ code: rejected.code });
    return result;
  };
}

export type IngestHandler = ReturnType<typeof createIngestHandler>;

/** Nothing accepted: the whole request failed (400), with each event's reason. */
export function allRejected(result: IngestResult): LivoraError {
  const first = result.rejected[0];
  return new LivoraError(
    'LIVORA_INGEST_ALL_REJECTED',
    result.rejected.length === 1 && first
      ? `${first.code}: ${first.message}`
      : `all ${result.rejected.length} events were rejected`,
    { rejected: result.rejected },
  );
}
