import { SQLSTATE } from '../db/sqlstate.ts';

/**
 * Another partition's batch committed a row this batch meant to create (an event_id it
 * processed, a distinct id it linked): the batch runs again, whole, and sees that row.
 */
export class ConcurrentClaim extends Error {
  override readonly name = 'ConcurrentClaim';
}

/**
 * Runs an insert of rows this batch is the first to write, as far as it read: a plain
 * insert (an upsert's speculative insertion costs PostgreSQL about twice as much per row).
 * A unique violation of `constraint` means another batch got there first: ConcurrentClaim.
 */
export async function claim(insert: Promise<unknown>, constraint: string): Promise<void> {
  try {
    await insert;
  } catch (error) {
    const failure = error as { code?: string; constraint?: string };
    if (failure.code === SQLSTATE.UNIQUE_VIOLATION && failure.constraint === constraint)
      throw new ConcurrentClaim(`a row of ${constraint} was written by another batch meanwhile`);
    throw error;
  }
}
