import { compareOffsets } from '@livora/adapters/ports';
import { type Selectable, sql } from 'kysely';
import { probeEach } from '../../db/probe-each.ts';
import type { Tables } from '../../db/tables.ts';
import { OK, type Step, type StepOutcome } from '../pipeline-event.ts';

/**
 * Exact dedupe by (tenant, event_id) over the window `processed_events` keeps (purged by
 * the maintenance workflow). An event already processed at another position is a
 * duplicate: dropped. Already processed at this very position means a replay after a
 * crash: kept, with what was derived the first time, so it reproduces the same lake rows
 * without applying its state twice. The rows themselves are written with the batch
 * (see the consumer), so a crash before commit leaves nothing behind.
 */
export function createDedupeStep(options: {
  /** False for a stream that numbers records as it redelivers them (Pub/Sub): see below. */
  stableOffsets: boolean;
}): Step {
  return {
    name: 'dedupe',
    async run(events, { tx, checkpoint }) {
      const outcomes: StepOutcome[] = new Array(events.length).fill(OK);
      const firstAt = new Map<string, number>();
      events.forEach((item, i) => {
        const key = `${item.event.tenant_id}\u0000${item.event.event_id}`;
        if (firstAt.has(key)) outcomes[i] = { kind: 'drop', reason: 'duplicate event_id in the batch' };
        else firstAt.set(key, i);
      });
      if (firstAt.size === 0) return outcomes;
      const idsByTenant = new Map<string, string[]>();
      for (const i of firstAt.values()) {
        const event = (events[i] as (typeof events)[number]).event;
        const ids = idsByTenant.get(event.tenant_id);
        if (ids) ids.push(event.event_id);
        else idsByTenant.set(event.tenant_id, [event.event_id]);
      }
      const rows: Pick<
        Selectable<Tables['processed_events']>,
        'tenant_id' | 'event_id' | 'partition' | 'offset' | 'person_id' | 'session_id'
      >[] = [];
      for (const [tenantId, ids] of idsByTenant) {
        const found = await probeEach<(typeof rows)[number]>(
          ids,
          'text',
          (id) => sql`
            SELECT tenant_id, event_id, partition, "offset"::text AS "offset", person_id, session_id
            FROM processed_events WHERE tenant_id = ${tenantId} AND event_id = ${id}`,
        ).execute(tx);
        for (const row of found.rows) rows.push(row);
      }
      for (const row of rows) {
        const i = firstAt.get(`${row.tenant_id}\u0000${row.event_id}`) as number;
        const item = events[i] as (typeof events)[number];
        // A replay is the same record again: at its own offset, or, on a stream whose offsets
        // change when it redelivers, anywhere past the checkpoint in the same partition (that
        // range was never committed, so the first reading is not in the lake). A retry inside
        // such a range reaches the lake once: the range keeps an event id once.
        const uncommitted = checkpoint === null || compareOffsets(row.offset, checkpoint) > 0;
        const replay =
          row.partition === item.partition && (row.offset === item.offset || (!options.stableOffsets && uncommitted));
        if (replay) {
          item.replayOf = { person_id: row.person_id, session_id: row.session_id };
        } else {
          outcomes[i] = { kind: 'drop', reason: `duplicate of the event at ${row.partition}/${row.offset}` };
        }
      }
      return outcomes;
    },
  };
}
