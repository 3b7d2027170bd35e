import type { EventStream } from '@livora/adapters/ports';
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';

export interface DeadLetterRow {
  readonly id: string;
  readonly tenantId: string | null;
  readonly partition: string;
  readonly offset: string;
  readonly step: string;
  readonly error: string;
  readonly createdAt: Date;
  readonly replayedAt: Date | null;
}

/**
 * The dead-letter table: events a step could not process, with the step and the error.
 * A replay appends the event to the log again (same event_id; it was never recorded as
 * processed, so dedupe lets it through) and marks the letter; if it fails again it comes
 * back as a new letter.
 */
export function createDeadLetters(db: Kysely<Tables>, stream: Pick<EventStream, 'append'>) {
  const toRow = (r: {
    id: string;
    tenant_id: string | null;
    partition: string;
    offset: string;
    step: string;
    error: string;
    created_at: Date;
    replayed_at: Date | null;
  }): DeadLetterRow => ({
    id: String(r.id),
    tenantId: r.tenant_id,
    partition: r.partition,
    offset: String(r.offset),
    step: r.step,
    error: r.error,
    createdAt: r.created_at,
    replayedAt: r.replayed_at,
  });

  return {
    async list(
      options: { tenantId?: string; includeReplayed?: boolean; limit?: number } = {},
    ): Promise<DeadLetterRow[]> {
      let query = db
        .selectFrom('dead_letters')
        .select(['id', 'tenant_id', 'partition', 'offset', 'step', 'error', 'created_at', 'replayed_at']);
      if (options.tenantId) query = query.where('tenant_id', '=', options.tenantId);
      if (!options.includeReplayed) query = query.where('replayed_at', 'is', null);
      const rows = await query
        .orderBy('id')
        .limit(options.limit ?? 100)
        .execute();
      return rows.map(toRow);
    },
    /** Replays one letter (`id`) or every letter not yet replayed; answers how many went back to the log. */
    async replay(selection: { id: string } | { all: true }): Promise<number> {
      let query = db.selectFrom('dead_letters').select(['id', 'payload']).where('replayed_at', 'is', null);
      if ('id' in selection) query = query.where('id', '=', selection.id as never);
      const letters = await query.orderBy('id').execute();
      if ('id' in selection && letters.length === 0) {
        throw new LivoraError('LIVORA_DEAD_LETTER_NOT_FOUND', `no dead letter ${selection.id} waiting for a replay`);
      }
      for (let i = 0; i < letters.length; i += 500) {
        const slice = letters.slice(i, i + 500);
        await stream.append(
          slice.map((letter) => ({
            partitionKey: partitionKeyOf(letter.payload, String(letter.id)),
            payload: letter.payload,
          })),
        );
        await db
          .updateTable('dead_letters')
          .set({ replayed_at: new Date() })
          .where('id', 'in', slice.map((l) => l.id) as never[])
          .execute();
      }
      return letters.length;
    },
  };
}

/** The partition key ingestion used (tenant and person ids), or the letter's id for an unreadable payload. */
function partitionKeyOf(payload: string, fallback: string): string {
  try {
    const event = JSON.parse(payload) as { tenant_id?: string; anonymous_id?: string; user_id?: string };
    return `${event.tenant_id}:${event.anonymous_id ?? event.user_id}`;
  } catch {
    return `dead-letter:${fallback}`;
  }
}
