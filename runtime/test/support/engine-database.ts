import { createTestDatabase } from '@livora/adapters/testing';
import { Kysely, PostgresDialect } from 'kysely';
import type { Tables } from '../../src/db/tables.ts';
import { migrations } from '../../src/main/migrations.ts';

export interface EngineDatabase {
  readonly url: string;
  readonly db: Kysely<Tables>;
  /** Ends the connections and drops the database. */
  drop(): Promise<void>;
}

/** A fresh database with the engine's tables, and Kysely on its pool. */
export async function createEngineDatabase(): Promise<EngineDatabase> {
  const database = await createTestDatabase(migrations);
  // On the database's own pool, which drop() ends: Kysely holds nothing else to close.
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: database.pool }) });
  return { url: database.url, db, drop: () => database.drop() };
}
