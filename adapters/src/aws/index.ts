export { type KinesisEventStreamOptions, openKinesisEventStream } from './kinesis-event-stream.ts';
export { createS3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.ts';
