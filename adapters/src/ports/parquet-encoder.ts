/** ParquetEncoder: rows to a Parquet file's bytes (the lake's file format). */

export type ColumnType =
  | 'VARCHAR'
  | 'DOUBLE'
  | 'BIGINT'
  | 'INTEGER'
  | 'BOOLEAN'
  | 'TIMESTAMPTZ'
  | 'DECIMAL(20,4)'
  | 'UUID';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
}

/**
 * Values per column type (a UUID column is written as its checked text): strings for VARCHAR, UUID, TIMESTAMPTZ (ISO 8601) and DECIMAL
 * (exact decimal text: money never passes through a float); numbers for DOUBLE, INTEGER
 * and BIGINT; booleans for BOOLEAN; null anywhere.
 */
export type Cell = string | number | boolean | null;

/** A Parquet file being filled: rows are held by the encoder (outside the JS heap) until `finish`. */
export interface ParquetFile {
  appendRow(row: readonly Cell[]): void;
  readonly rowCount: number;
  /** Encodes the rows appended so far; the file cannot be used afterwards. */
  finish(compression: 'zstd' | 'snappy'): Promise<Uint8Array>;
  /** Drops the rows without encoding them. */
  discard(): void;
}

export interface ParquetEncoder {
  /** Starts a file to append rows to as they arrive (a lake range fills over many batches). */
  start(columns: readonly ColumnSpec[]): Promise<ParquetFile>;
  /** Rows already in hand, encoded at once (start, append, finish). */
  encode(
    columns: readonly ColumnSpec[],
    rows: readonly (readonly Cell[])[],
    compression: 'zstd' | 'snappy',
  ): Promise<Uint8Array>;
  close(): Promise<void>;
}
