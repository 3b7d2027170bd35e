export { type KinesisEventStreamOptions, openKinesisEventStream } from './kinesis-event-stream.ts';
export { createRedshiftBulkLoad } from './redshift-bulk-load.ts';
export { redshiftSql } from './redshift-sql.ts';
export { openRedshiftWarehouse, type RedshiftWarehouseOptions } from './redshift-warehouse.ts';
export { createS3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.ts';
