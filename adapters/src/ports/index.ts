export type { ChangeFeed, ChangeHandler } from './change-feed.ts';
export type { CheckpointStore } from './checkpoint-store.ts';
export type { AppendedRecord, EventStream, ReadRecord, StreamRecord } from './event-stream.ts';
export { compareOffsets, StreamUnavailableError } from './event-stream.ts';
export { assertObjectKey, type ObjectStore } from './object-store.ts';
export type { Cell, ColumnSpec, ColumnType, ParquetEncoder } from './parquet-encoder.ts';
export type { BucketLimit, TakeResult, TokenBuckets } from './token-bucket.ts';
