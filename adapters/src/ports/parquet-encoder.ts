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
 * Values per column type: strings for VARCHAR, UUID, TIMESTAMPTZ (ISO 8601) and DECIMAL
 * (exact decimal text: money never passes through a float); numbers for DOUBLE, INTEGER
 * and BIGINT; booleans for BOOLEAN; null anywhere.
 */
export type Cell = string | number | boolean | null;

export interface ParquetEncoder {
  encode(
    columns: readonly ColumnSpec[],
    rows: readonly (readonly Cell[])[],
    compression: 'zstd' | 'snappy',
  ): Promise<Uint8Array>;
  close(): Promise<void>;
}
