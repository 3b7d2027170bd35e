import { type Kysely, sql } from 'kysely';
import type { Tables } from '../../db/tables.ts';

export interface PipelineMaintenanceInput {
  readonly v: 1;
  readonly dedupeWindowHours: number;
  readonly sessionTtlDays: number;
}

const SLICE = 20_000;

/** Purges what the pipeline keeps only for a while: the dedupe window and old sessions. */
export function createPipelineMaintenanceActivities(db: Kysely<Tables>) {
  async function deleteInSlices(statement: () => Promise<{ numAffectedRows?: bigint }>): Promise<number> {
    let removed = 0;
    for (;;) {
      const n = Number((await statement()).numAffectedRows ?? 0n);
      removed += n;
      if (n < SLICE) return removed;
    }
  }
  return {
    async purgePipelineState(input: PipelineMaintenanceInput): Promise<{ processedEvents: number; sessions: number }> {
      const processedEvents = await deleteInSlices(() =>
        sql`DELETE FROM processed_events WHERE ctid IN (
              SELECT ctid FROM processed_events WHERE seen_at < now() - make_interval(hours => ${input.dedupeWindowHours}) LIMIT ${SLICE})`.execute(
          db,
        ),
      );
      const sessions = await deleteInSlices(() =>
        sql`DELETE FROM sessions WHERE ctid IN (
              SELECT ctid FROM sessions WHERE ended_at < now() - make_interval(days => ${input.sessionTtlDays}) LIMIT ${SLICE})`.execute(
          db,
        ),
      );
      return { processedEvents, sessions };
    },
  };
}

export type PipelineMaintenanceActivities = ReturnType<typeof createPipelineMaintenanceActivities>;
