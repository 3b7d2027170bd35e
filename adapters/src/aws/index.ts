export { type KinesisEventStreamOptions, openKinesisEventStream } from './kinesis-event-stream.ts';
export { redshiftSql } from './redshift-sql.ts';
export { createS3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.ts';
