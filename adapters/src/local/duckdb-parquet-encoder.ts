import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Cell, ColumnSpec, ParquetEncoder } from '../ports/parquet-encoder.ts';

/**
 * Parquet through an in-memory DuckDB: rows go into a staging table with the appender
 * (text for timestamps and decimals, so nothing is rounded on the way), then one COPY
 * casts them to their types and writes the file.
 */
export async function createDuckDbParquetEncoder(): Promise<ParquetEncoder> {
  // Loaded and opened at the first encode: an idle engine does not carry DuckDB.
  let opened: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | null = null;
  const open = () => {
    opened ??= import('@duckdb/node-api').then(async ({ DuckDBInstance }) => {
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      return { instance, connection: await instance.connect() };
    });
    return opened;
  };
  let queue: Promise<unknown> = Promise.resolve();

  async function encode(
    columns: readonly ColumnSpec[],
    rows: readonly (readonly Cell[])[],
    compression: 'zstd' | 'snappy',
  ) {
    const { connection } = await open();
    const table = `staging_${randomBytes(6).toString('hex')}`;
    const staged = columns.map((c) => `${quote(c.name)} ${stagingType(c.type)}`).join(', ');
    await connection.run(`CREATE TEMP TABLE ${table} (${staged})`);
    const file = path.join(tmpdir(), `livora-${table}.parquet`);
    try {
      const appender = await connection.createAppender(table);
      for (const row of rows) {
        for (const [i, column] of columns.entries()) append(appender, column, row[i] ?? null);
        appender.endRow();
      }
      appender.closeSync();
      const select = columns.map((c) => `CAST(${quote(c.name)} AS ${c.type}) AS ${quote(c.name)}`).join(', ');
      await connection.run(
        `COPY (SELECT ${select} FROM ${table}) TO '${file}' (FORMAT parquet, COMPRESSION ${compression})`,
      );
      return new Uint8Array(await readFile(file));
    } finally {
      await connection.run(`DROP TABLE IF EXISTS ${table}`);
      await rm(file, { force: true });
    }
  }

  return {
    // One encode at a time on the one connection.
    encode(columns, rows, compression) {
      const next = queue.then(() => encode(columns, rows, compression));
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
      if (!opened) return;
      const { instance, connection } = await opened;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function stagingType(type: ColumnSpec['type']): string {
  return type === 'DOUBLE' || type === 'BIGINT' || type === 'INTEGER' || type === 'BOOLEAN' ? type : 'VARCHAR';
}

function append(appender: DuckDBAppender, column: ColumnSpec, value: Cell): void {
  if (value === null) appender.appendNull();
  else if (column.type === 'DOUBLE') appender.appendDouble(Number(value));
  else if (column.type === 'BIGINT') appender.appendBigInt(BigInt(value as number));
  else if (column.type === 'INTEGER') appender.appendInteger(Number(value));
  else if (column.type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
  else appender.appendVarchar(String(value));
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
