export { createBigQueryBulkLoad } from './bigquery-bulk-load.ts';
export { BigQueryDriver, type BigQueryTarget } from './bigquery-driver.ts';
export { bigQuerySql } from './bigquery-sql.ts';
export { type BigQueryWarehouseOptions, openBigQueryWarehouse } from './bigquery-warehouse.ts';
export { createGcsObjectStore, type GcsObjectStoreOptions } from './gcs-object-store.ts';
export { openPubSubEventStream, type PubSubEventStreamOptions, pubSubSubscriptions } from './pubsub-event-stream.ts';
export { createPubSubTopology } from './pubsub-topology.ts';
