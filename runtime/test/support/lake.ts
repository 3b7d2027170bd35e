import { existsSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Runs SQL over the lake's Parquet with DuckDB; `{events}`, `{sessions}`, `{profiles}` name the tables. */
export async function queryLake(lakeDir: string, query: string): Promise<Record<string, unknown>[]> {
  const table = (name: string) =>
    existsSync(path.join(lakeDir, name))
      ? `read_parquet('${path.join(lakeDir, name)}/**/*.parquet', hive_partitioning = false, union_by_name = true)`
      : `(SELECT NULL AS empty WHERE false)`;
  const sql = query
    .replaceAll('{events}', table('events'))
    .replaceAll('{sessions}', table('sessions'))
    .replaceAll('{profiles}', table('profiles'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Polls until `check` answers true (or throws after `timeoutMs`). */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
