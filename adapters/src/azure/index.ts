export { type BlobObjectStoreOptions, createBlobObjectStore } from './blob-object-store.ts';
export { type EventHubsEventStreamOptions, openEventHubsEventStream } from './event-hubs-event-stream.ts';
export { createSynapseBulkLoad } from './synapse-bulk-load.ts';
export { SynapseDriver, type SynapseTarget } from './synapse-driver.ts';
export { synapseSql } from './synapse-sql.ts';
export { openSynapseWarehouse } from './synapse-warehouse.ts';
