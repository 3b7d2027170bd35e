import { type Selectable, sql } from 'kysely';
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
export function createDedupeStep(): Step {
  return {
    name: 'dedupe',
    async run(events, { tx }) {
      const outcomes: StepOutcome[] = new Array(events.length).fill(OK);
      const firstAt = new Map<string, number>();
      events.forEach((item, i) => {
        const key = `${item.event.tenant_id}\u0000${item.event.event_id}`;
        if (firstAt.has(key)) outcomes[i] = { kind: 'drop', reason: 'duplicate event_id in the batch' };
        else firstAt.set(key, i);
      });
      if (firstAt.size === 0) return outcomes;
      const tenants: string[] = [];
      const ids: string[] = [];
      for (const i of firstAt.values()) {
        const event = (events[i] as (typeof events)[number]).event;
        tenants.push(event.tenant_id);
        ids.push(event.event_id);
      }
      const { rows } = await sql<
        Pick<
          Selectable<Tables['processed_events']>,
          'tenant_id' | 'event_id' | 'partition' | 'offset' | 'person_id' | 'session_id'
        >
      >`
        SELECT p.tenant_id, p.event_id, p.partition, p."offset"::text AS "offset", p.person_id, p.session_id
        FROM processed_events p
        JOIN unnest(${tenants}::text[], ${ids}::text[]) AS k(tenant_id, event_id)
          ON p.tenant_id = k.tenant_id AND p.event_id = k.event_id`.execute(tx);
      for (const row of rows) {
        const i = firstAt.get(`${row.tenant_id}\u0000${row.event_id}`) as number;
        const item = events[i] as (typeof events)[number];
        if (row.partition === item.partition && row.offset === item.offset) {
          item.replayOf = { person_id: row.person_id, session_id: row.session_id };
        } else {
          outcomes[i] = { kind: 'drop', reason: `duplicate of the event at ${row.partition}/${row.offset}` };
        }
      }
      return outcomes;
    },
  };
}
