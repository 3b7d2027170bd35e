export { compileFor, compilerFor } from '../shared/warehouse-compiler.ts';
export type { Cache } from './cache.ts';
export type { ChangeFeed, ChangeHandler } from './change-feed.ts';
export type { CheckpointStore } from './checkpoint-store.ts';
export type {
  AppendedRecord,
  EventStream,
  EventStreamCapabilities,
  ReadRecord,
  StreamRecord,
} from './event-stream.ts';
export { compareOffsets, StreamUnavailableError } from './event-stream.ts';
export { assertObjectKey, assertObjectPrefix, type ObjectStore, ObjectStoreUnavailableError } from './object-store.ts';
export type { Cell, ColumnSpec, ColumnType, ParquetEncoder, ParquetFile } from './parquet-encoder.ts';
export type { BucketLimit, TakeResult, TokenBuckets } from './token-bucket.ts';
export {
  type LakeBulkLoad,
  NUMBERS_COUNT,
  NUMBERS_TABLE,
  type SqlExpression,
  type TimeUnit,
  UnsupportedInWarehouseError,
  type Warehouse,
  type WarehouseEngine,
  type WarehouseSql,
} from './warehouse.ts';
