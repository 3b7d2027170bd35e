export { migrateToLatest } from '../shared/migrate.ts';
export { isAlive, runsWith, stopProcess } from '../shared/processes.ts';
export { createDirectoryObjectStore } from './directory-object-store.ts';
export { type EmbeddedPostgresOptions, type RunningPostgres, startEmbeddedPostgres } from './embedded-postgres.ts';
export { createMemoryTokenBuckets } from './memory-token-buckets.ts';
export { localAdapterMigrations } from './migrations.ts';
export { openPostgresChangeFeed } from './postgres-change-feed.ts';
export { createPostgresCheckpointStore } from './postgres-checkpoint-store.ts';
export { openPostgresEventStream, type PostgresEventStreamOptions } from './postgres-event-stream.ts';
