import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnSpec, ParquetEncoder, ParquetFile } from '../ports/parquet-encoder.ts';

/** Rows held in memory before they go to the file's staging text (a few per cent of a range). */
const STAGE_BYTES = 1024 * 1024;

/**
 * Parquet through DuckDB. Rows are staged as JSON lines in a temporary file (one native
 * JSON.stringify per row: far cheaper on the event loop than a DuckDB appender call per
 * cell, and nothing stays in memory), then one COPY reads them in DuckDB's own threads,
 * casts each value to its column's type (timestamps and decimals travel as text, so
 * nothing is rounded on the way) and writes the file.
 */
export async function createDuckDbParquetEncoder(
  options: {
    /** Where rows are staged (the engine's data directory: /tmp may be memory). */
    stagingDir?: string;
  } = {},
): Promise<ParquetEncoder> {
  const stagingDir = options.stagingDir ?? tmpdir();
  await mkdir(stagingDir, { recursive: true });
  // Loaded and opened at the first file: an idle engine does not carry DuckDB.
  let opened: Promise<DuckDBInstance> | null = null;
  const open = () => {
    // One thread per query: files encode side by side on their own connections anyway, and
    // DuckDB's extra workers only took CPU from the pipeline and PostgreSQL (measured).
    opened ??= import('@duckdb/node-api').then(({ DuckDBInstance }) =>
      DuckDBInstance.create(':memory:', { threads: '1' }),
    );
    return opened;
  };
  const staged = new Set<string>();

  async function start(columns: readonly ColumnSpec[]): Promise<ParquetFile> {
    const stage = path.join(stagingDir, `livora-stage-${randomBytes(6).toString('hex')}.jsonl`);
    staged.add(stage);
    let lines: string[] = [];
    let bytes = 0;
    let rowCount = 0;
    let done = false;
    // Appends to the staging file run one after another. The first failure (a full disk) is
    // kept for finish to throw: left pending until then, it would be an unhandled rejection.
    let failure: unknown = null;
    const append = (text: string) =>
      appendFile(stage, text).catch((error: unknown) => {
        failure ??= error;
      });
    let writing: Promise<void> = append('');
    const spill = () => {
      if (lines.length === 0) return;
      const text = `${lines.join('\n')}\n`;
      lines = [];
      bytes = 0;
      writing = writing.then(() => (failure ? undefined : append(text)));
    };
    const release = async () => {
      done = true;
      staged.delete(stage);
      await writing;
      await rm(stage, { force: true }).catch(() => undefined);
    };
    return {
      get rowCount() {
        return rowCount;
      },
      appendRow(row) {
        if (done) throw new Error('this Parquet file is already finished');
        const line = JSON.stringify(row);
        lines.push(line);
        bytes += line.length;
        rowCount += 1;
        if (bytes >= STAGE_BYTES) spill();
      },
      async finish(compression) {
        if (done) throw new Error('this Parquet file is already finished');
        done = true;
        spill();
        const target = path.join(stagingDir, `livora-${randomBytes(6).toString('hex')}.parquet`);
        try {
          await writing;
          if (failure) throw failure;
          const connection = await (await open()).connect();
          try {
            await connection.run(copyToParquet(columns, stage, target, compression));
          } finally {
            connection.closeSync();
          }
          return new Uint8Array(await readFile(target));
        } finally {
          await release();
          await rm(target, { force: true });
        }
      },
      discard() {
        if (!done) void release();
      },
    };
  }

  return {
    start,
    async encode(columns, rows, compression) {
      const file = await start(columns);
      for (const row of rows) file.appendRow(row);
      return file.finish(compression);
    },
    async close() {
      await Promise.all([...staged].map((stage) => rm(stage, { force: true })));
      if (opened) (await opened).closeSync();
    },
  };
}

/**
 * Each staged line is a JSON array of the row's cells, read as a list of text and cast per
 * column. A UUID is checked, then written as its text: every warehouse's bulk load
 * (Redshift COPY, BigQuery, Synapse) reads text, not all read Parquet's UUID type.
 */
function copyToParquet(
  columns: readonly ColumnSpec[],
  stage: string,
  target: string,
  compression: 'zstd' | 'snappy',
): string {
  const cast = (c: ColumnSpec, cell: string) =>
    c.type === 'UUID' ? `CAST(CAST(${cell} AS UUID) AS VARCHAR)` : `CAST(${cell} AS ${c.type})`;
  const select = columns.map((c, i) => `${cast(c, `cells[${i + 1}]`)} AS ${quote(c.name)}`).join(', ');
  const rows = `read_json(${literal(stage)}, format = 'newline_delimited', records = false, columns = {cells: 'VARCHAR[]'})`;
  return `COPY (SELECT ${select} FROM ${rows}) TO ${literal(target)} (FORMAT parquet, COMPRESSION ${compression})`;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
