import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbParquetEncoder } from '../../src/local/duckdb-parquet-encoder.ts';
import type { ParquetEncoder } from '../../src/ports/parquet-encoder.ts';

let encoder: ParquetEncoder;
let dir: string;
beforeAll(async () => {
  encoder = await createDuckDbParquetEncoder();
  dir = await mkdtemp(path.join(tmpdir(), 'livora-parquet-'));
});
afterAll(async () => {
  await encoder.close();
  await rm(dir, { recursive: true, force: true });
});

async function readBack(bytes: Uint8Array, query: (file: string) => string) {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.parquet`);
  await writeFile(file, bytes);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(query(file));
  const rows = reader.getRowObjectsJson();
  connection.closeSync();
  instance.closeSync();
  return rows;
}

describe('DuckDB Parquet encoder', () => {
  it('writes typed columns that read back exactly: timestamps to the millisecond, money as DECIMAL', async () => {
    const bytes = await encoder.encode(
      [
        { name: 'id', type: 'VARCHAR' },
        { name: 'at', type: 'TIMESTAMPTZ' },
        { name: 'revenue', type: 'DECIMAL(20,4)' },
        { name: 'lat', type: 'DOUBLE' },
        { name: 'n', type: 'BIGINT' },
        { name: 'person', type: 'UUID' },
      ],
      [
        ['a', '2026-11-25T10:00:00.123Z', '19.99', 51.5, 3, '0192d2a8-0000-8000-8000-000000000001'],
        ['b', null, '0.1', null, null, null],
        ['c', '2026-11-25T10:00:01.000Z', '0.2', -0.09, 9007199254740991, null],
      ],
      'zstd',
    );
    expect(bytes.byteLength).toBeGreaterThan(0);
    const rows = await readBack(
      bytes,
      (
        file,
      ) => `SELECT id, epoch_ms("at") AS ms, revenue::VARCHAR AS revenue, typeof(revenue) AS revenue_type, lat, n::VARCHAR AS n,
                        person::VARCHAR AS person, typeof(person) AS person_type FROM read_parquet('${file}') ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: 'a',
        ms: String(Date.parse('2026-11-25T10:00:00.123Z')),
        revenue: '19.9900',
        revenue_type: 'DECIMAL(20,4)',
        lat: 51.5,
        n: '3',
        person: '0192d2a8-0000-8000-8000-000000000001',
        person_type: 'VARCHAR', // a UUID is written as its text: every warehouse's bulk load reads that
      },
      {
        id: 'b',
        ms: null,
        revenue: '0.1000',
        revenue_type: 'DECIMAL(20,4)',
        lat: null,
        n: null,
        person: null,
        person_type: 'VARCHAR',
      },
      {
        id: 'c',
        ms: String(Date.parse('2026-11-25T10:00:01.000Z')),
        revenue: '0.2000',
        revenue_type: 'DECIMAL(20,4)',
        lat: -0.09,
        n: '9007199254740991',
        person: null,
        person_type: 'VARCHAR',
      },
    ]);
    // 0.1 + 0.2 is exactly 0.3 in DECIMAL, unlike in floating point.
    const [sum] = await readBack(
      bytes,
      (file) => `SELECT sum(revenue)::VARCHAR AS s FROM read_parquet('${file}') WHERE id <> 'a'`,
    );
    expect(sum).toEqual({ s: '0.3000' });
  });

  it('writes Snappy too, and encodes concurrently without mixing rows', async () => {
    const columns = [{ name: 'k', type: 'VARCHAR' as const }];
    const files = await Promise.all(
      ['x', 'y', 'z'].map((k) =>
        encoder.encode(
          columns,
          Array.from({ length: 1000 }, () => [k]),
          'snappy',
        ),
      ),
    );
    for (const [i, bytes] of files.entries()) {
      const rows = await readBack(
        bytes,
        (file) => `SELECT k, count(*)::INT AS n FROM read_parquet('${file}') GROUP BY k`,
      );
      expect(rows).toEqual([{ k: ['x', 'y', 'z'][i], n: 1000 }]);
    }
  });

  it('fills a file over many appends (staged past memory), keeping every character of every string', async () => {
    const odd = ['quote " and \\ backslash', 'line\nbreak\ttab', 'unicode: 日本語 — ünïcødé 🎉', '', '{"json":[1,2]}'];
    const file = await encoder.start([
      { name: 'i', type: 'INTEGER' },
      { name: 's', type: 'VARCHAR' },
    ]);
    const total = 30_000; // ~2 MB of staged rows: spilled to the staging file more than once
    for (let i = 0; i < total; i++) file.appendRow([i, `${odd[i % odd.length]}${'x'.repeat(50)}`]);
    expect(file.rowCount).toBe(total);
    const rows = await readBack(
      await file.finish('zstd'),
      (f) => `SELECT count(*)::INT AS n, count(DISTINCT i)::INT AS ids, min(s) FILTER (WHERE i = 1) AS one,
                     min(s) FILTER (WHERE i = 2) AS two, min(s) FILTER (WHERE i = 3) AS three FROM read_parquet('${f}')`,
    );
    expect(rows).toEqual([
      {
        n: total,
        ids: total,
        one: `${odd[1]}${'x'.repeat(50)}`,
        two: `${odd[2]}${'x'.repeat(50)}`,
        three: 'x'.repeat(50),
      },
    ]);
    await expect(file.finish('zstd')).rejects.toThrow(/already finished/);
  });

  it('writes an empty file when no row came, and leaves nothing behind when a file is discarded', async () => {
    const columns = [{ name: 'k', type: 'VARCHAR' as const }];
    const empty = await encoder.encode(columns, [], 'zstd');
    expect(await readBack(empty, (f) => `SELECT count(*)::INT AS n FROM read_parquet('${f}')`)).toEqual([{ n: 0 }]);
    const stagingDir = path.join(dir, 'staging');
    const own = await createDuckDbParquetEncoder({ stagingDir });
    const file = await own.start(columns);
    file.appendRow(['dropped']);
    expect(await readdir(stagingDir)).toHaveLength(1);
    file.discard();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readdir(stagingDir)).toEqual([]);
    await own.close();
    expect(() => file.appendRow(['late'])).toThrow(/already finished/);
  });
});
