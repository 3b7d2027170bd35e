import { localAdapterMigrations } from '@livora/adapters/local';
import type { Migration } from 'kysely/migration';
import { runtimeMigrations } from '../db/migrations.ts';

/**
 * Every migration of the engine's PostgreSQL, embedded or external: the local adapters'
 * tables and the runtime's own, run together in name order.
 */
export const migrations: Readonly<Record<string, Migration>> = { ...localAdapterMigrations, ...runtimeMigrations };
