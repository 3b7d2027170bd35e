export { bigQuerySql } from './bigquery-sql.ts';
export { createGcsObjectStore, type GcsObjectStoreOptions } from './gcs-object-store.ts';
export { openPubSubEventStream, type PubSubEventStreamOptions } from './pubsub-event-stream.ts';
export { createPubSubTopology } from './pubsub-topology.ts';
