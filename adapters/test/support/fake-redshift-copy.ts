import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';

/** Where the fake Redshift reads `s3://` from (an S3 emulator). */
export interface S3Access {
  readonly endpoint: string;
  readonly region?: string;
}

const COPY =
  /^\s*COPY\s+("?[\w.]+"?)\s+FROM\s+'s3:\/\/([^/']+)\/([^']*)'\s+IAM_ROLE\s+(?:'[^']+'|default)\s+FORMAT\s+AS\s+PARQUET(\s+MANIFEST)?\s*;?\s*$/i;

/**
 * Redshift's COPY from Parquet in S3, as documented, for the fake Data API: the object
 * names a prefix (every object under it; none is an error) or, with MANIFEST, a manifest
 * whose entries must give `meta.content_length`, as Redshift requires for Parquet. Columns
 * load by position and their count must match the table's. Answers null for other SQL.
 */
export async function copyFromS3(
  db: pg.Pool | pg.PoolClient,
  statement: string,
  access: S3Access,
): Promise<pg.QueryResult | null> {
  const match = COPY.exec(statement);
  if (!match) return null;
  const [, table, bucket, key, manifest] = match as unknown as [string, string, string, string, string | undefined];
  const s3 = new S3Client({
    region: access.region ?? 'us-east-1',
    endpoint: access.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'fake-redshift-copy-'));
  const duckdb = await DuckDBInstance.create(':memory:');
  const connection = await duckdb.connect();
  try {
    const read = async (objectKey: string) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey }));
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    };
    const keys = manifest ? await manifestKeys(await read(key), bucket, read) : await prefixKeys(s3, bucket, key);
    const { rows: columns } = await db.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [table],
    );
    let loaded = 0;
    for (const [i, objectKey] of keys.entries()) {
      const file = path.join(dir, `${i}.parquet`);
      await writeFile(file, await read(objectKey));
      await connection.run(`SET TimeZone = 'UTC'`);
      const reader = await connection.runAndReadAll(`SELECT COLUMNS(*)::VARCHAR FROM read_parquet('${file}')`);
      if (reader.columnCount !== columns.length)
        throw new Error(
          `COPY: s3://${bucket}/${objectKey} has ${reader.columnCount} columns, table ${table} has ${columns.length}`,
        );
      const rows = reader.getRows() as (string | null)[][];
      const perInsert = Math.max(1, Math.floor(30_000 / columns.length));
      for (let start = 0; start < rows.length; start += perInsert) {
        const chunk = rows.slice(start, start + perInsert);
        const values = chunk.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
        await db.query(`INSERT INTO ${table} VALUES ${values.join(', ')}`, chunk.flat());
      }
      loaded += rows.length;
    }
    return { command: 'COPY', rowCount: loaded, rows: [], fields: [], oid: 0 };
  } finally {
    connection.closeSync();
    duckdb.closeSync();
    s3.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

async function prefixKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.NextContinuationToken;
  } while (token);
  if (keys.length === 0) throw new Error(`COPY: the specified S3 prefix '${prefix}' does not exist`);
  return keys;
}

async function manifestKeys(
  body: Uint8Array,
  bucket: string,
  read: (key: string) => Promise<Uint8Array>,
): Promise<string[]> {
  const { entries } = JSON.parse(new TextDecoder().decode(body)) as {
    entries: { url: string; mandatory?: boolean; meta?: { content_length?: number } }[];
  };
  const keys: string[] = [];
  for (const entry of entries) {
    const url = /^s3:\/\/([^/]+)\/(.+)$/.exec(entry.url);
    if (!url || url[1] !== bucket) throw new Error(`COPY: manifest entry ${entry.url} is not in s3://${bucket}`);
    const length = entry.meta?.content_length;
    if (typeof length !== 'number') throw new Error(`COPY: manifest entry ${entry.url} has no meta.content_length`);
    const actual = (await read(url[2] as string)).byteLength;
    if (actual !== length) throw new Error(`COPY: ${entry.url} is ${actual} bytes, its manifest says ${length}`);
    keys.push(url[2] as string);
  }
  return keys;
}
