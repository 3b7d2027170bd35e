import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBAppender, DuckDBInstance } from '@duckdb/node-api';
import type { Cell, ColumnSpec, ParquetEncoder, ParquetFile } from '../ports/parquet-encoder.ts';

/**
 * Parquet through an in-memory DuckDB: rows go into a staging table with the appender
 * (text for timestamps and decimals, so nothing is rounded on the way), then one COPY
 * casts them to their types and writes the file. Each file has its own connection, so
 * partitions flushing at once encode in parallel.
 */
export async function createDuckDbParquetEncoder(): Promise<ParquetEncoder> {
  // Loaded and opened at the first file: an idle engine does not carry DuckDB.
  let opened: Promise<DuckDBInstance> | null = null;
  const open = () => {
    opened ??= import('@duckdb/node-api').then(({ DuckDBInstance }) => DuckDBInstance.create(':memory:'));
    return opened;
  };
  const live = new Set<ParquetFile>();

  async function start(columns: readonly ColumnSpec[]): Promise<ParquetFile> {
    const connection = await (await open()).connect();
    const table = `staging_${randomBytes(6).toString('hex')}`;
    let appender: DuckDBAppender;
    try {
      const staged = columns.map((c) => `${quote(c.name)} ${stagingType(c.type)}`).join(', ');
      await connection.run(`CREATE TEMP TABLE ${table} (${staged})`);
      appender = await connection.createAppender(table);
    } catch (error) {
      connection.closeSync();
      throw error;
    }
    let rowCount = 0;
    let done = false;
    const release = () => {
      done = true;
      live.delete(file);
      connection.closeSync(); // its temporary table goes with it
    };
    const file: ParquetFile = {
      get rowCount() {
        return rowCount;
      },
      appendRow(row) {
        if (done) throw new Error('this Parquet file is already finished');
        for (const [i, column] of columns.entries()) append(appender, column, row[i] ?? null);
        appender.endRow();
        rowCount += 1;
      },
      async finish(compression) {
        if (done) throw new Error('this Parquet file is already finished');
        done = true; // no more rows, and close() leaves a file being encoded alone
        const target = path.join(tmpdir(), `livora-${table}.parquet`);
        try {
          appender.closeSync();
          const select = columns.map((c) => `CAST(${quote(c.name)} AS ${c.type}) AS ${quote(c.name)}`).join(', ');
          await connection.run(
            `COPY (SELECT ${select} FROM ${table}) TO '${target}' (FORMAT parquet, COMPRESSION ${compression})`,
          );
          return new Uint8Array(await readFile(target));
        } finally {
          release();
          await rm(target, { force: true });
        }
      },
      discard() {
        if (!done) release();
      },
    };
    live.add(file);
    return file;
  }

  return {
    start,
    async encode(columns, rows, compression) {
      const file = await start(columns);
      try {
        for (const row of rows) file.appendRow(row);
      } catch (error) {
        file.discard();
        throw error;
      }
      return file.finish(compression);
    },
    async close() {
      for (const file of live) file.discard();
      if (opened) (await opened).closeSync();
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
