export { type BlobObjectStoreOptions, createBlobObjectStore } from './blob-object-store.ts';
export { type EventHubsEventStreamOptions, openEventHubsEventStream } from './event-hubs-event-stream.ts';
export { synapseSql } from './synapse-sql.ts';
