import type pg from 'pg';
import type { CheckpointStore } from '../ports/checkpoint-store.ts';

/** Checkpoints in the `stream_checkpoints` table; numeric, so Kinesis sequence numbers fit. */
export function createPostgresCheckpointStore(pool: pg.Pool): CheckpointStore {
  return {
    async get(stream, group, partition) {
      const { rows } = await pool.query<{ offset: string }>(
        'SELECT "offset"::text AS "offset" FROM stream_checkpoints WHERE stream = $1 AND consumer_group = $2 AND partition = $3',
        [stream, group, partition],
      );
      return rows[0]?.offset ?? null;
    },
    async commit(stream, group, partition, offset) {
      await pool.query(
        `INSERT INTO stream_checkpoints (stream, consumer_group, partition, "offset") VALUES ($1, $2, $3, $4)
         ON CONFLICT (stream, consumer_group, partition) DO UPDATE
           SET "offset" = excluded."offset", updated_at = now()
           WHERE stream_checkpoints."offset" < excluded."offset"`,
        [stream, group, partition, offset],
      );
    },
  };
}
