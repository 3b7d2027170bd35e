import { type Kysely, sql } from 'kysely';
import type { Tables } from '../../db/tables.ts';

/**
 * Partition leases in PostgreSQL, shared by every pipeline process. Each process renews
 * its leases and takes free or expired ones up to its fair share (partitions / live
 * members); a crashed process's partitions are taken over once its leases expire.
 */
export function createLeaseManager(deps: { db: Kysely<Tables>; owner: string; leaseMs: number }) {
  const { db, owner, leaseMs } = deps;
  const interval = `${leaseMs} milliseconds`;

  return {
    owner,
    /** Renews, takes what is free; answers the partitions held now and those to give back (over the share). */
    async sync(partitions: readonly string[]): Promise<{ held: string[]; surplus: string[] }> {
      return db.transaction().execute(async (tx) => {
        await sql`
          INSERT INTO pipeline_members (owner, seen_at) VALUES (${owner}, now())
          ON CONFLICT (owner) DO UPDATE SET seen_at = now()`.execute(tx);
        await sql`DELETE FROM pipeline_members WHERE seen_at < now() - ${interval}::interval * 3`.execute(tx);
        // Members heard from within one lease lifetime count: a crashed one stops counting when its leases expire.
        const { rows: count } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM pipeline_members WHERE seen_at > now() - ${interval}::interval`.execute(tx);
        const share = Math.ceil(partitions.length / Math.max(1, count[0]?.n ?? 1));
        const { rows: renewed } = await sql<{ partition: string }>`
          UPDATE pipeline_leases SET expires_at = now() + ${interval}::interval
          WHERE owner = ${owner} AND expires_at > now()
          RETURNING partition`.execute(tx);
        const held = renewed.map((r) => r.partition).filter((p) => partitions.includes(p));
        if (held.length < share) {
          await sql`
            INSERT INTO pipeline_leases (partition, owner, expires_at)
            SELECT p, '', now() - interval '1 second' FROM unnest(${[...partitions]}::text[]) AS p
            ON CONFLICT DO NOTHING`.execute(tx);
          const { rows: taken } = await sql<{ partition: string }>`
            UPDATE pipeline_leases SET owner = ${owner}, expires_at = now() + ${interval}::interval
            WHERE partition IN (
              SELECT partition FROM pipeline_leases
              WHERE partition = ANY(${[...partitions]}::text[]) AND expires_at <= now()
              ORDER BY partition LIMIT ${share - held.length}
              FOR UPDATE SKIP LOCKED)
            RETURNING partition`.execute(tx);
          held.push(...taken.map((r) => r.partition));
        }
        held.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
        return { held: held.slice(0, share), surplus: held.slice(share) };
      });
    },
    /** Whether this process holds the partition for at least `forMs` more (checked before each lake put and the commit). */
    async holds(partition: string, forMs = 0): Promise<boolean> {
      const { rows } = await sql<{ ok: boolean }>`
        SELECT true AS ok FROM pipeline_leases
        WHERE partition = ${partition} AND owner = ${owner} AND expires_at > now() + ${`${forMs} milliseconds`}::interval`.execute(
        db,
      );
      return rows.length > 0;
    },
    /** Renews the lease now, if still held: a lake write starts with a whole lease lifetime ahead of it. */
    async extend(partition: string): Promise<boolean> {
      const { rows } = await sql<{ partition: string }>`
        UPDATE pipeline_leases SET expires_at = now() + ${interval}::interval
        WHERE partition = ${partition} AND owner = ${owner} AND expires_at > now()
        RETURNING partition`.execute(db);
      return rows.length > 0;
    },
    async release(partition: string): Promise<void> {
      await sql`UPDATE pipeline_leases SET expires_at = now() - interval '1 second' WHERE partition = ${partition} AND owner = ${owner}`.execute(
        db,
      );
    },
    async leave(): Promise<void> {
      await sql`UPDATE pipeline_leases SET expires_at = now() - interval '1 second' WHERE owner = ${owner}`.execute(db);
      await sql`DELETE FROM pipeline_members WHERE owner = ${owner}`.execute(db);
    },
  };
}

export type LeaseManager = ReturnType<typeof createLeaseManager>;
