import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { copyFromS3, type S3Access } from './fake-redshift-copy.ts';
import { installRedshiftFunctions } from './postgres-as-redshift.ts';

export interface FakeRedshiftData {
  /** The endpoint to give the SDK client. */
  readonly url: string;
  /** Statements received, as the Data API got them (SQL, named parameters, the session named). */
  readonly statements: { sql: string; parameters: { name: string; value: string }[]; sessionId?: string }[];
  close(): Promise<void>;
}

/**
 * A stand-in for the Redshift Data API that speaks its documented wire format (JSON 1.1,
 * `X-Amz-Target: RedshiftData.<Operation>`: ExecuteStatement, DescribeStatement,
 * GetStatementResult) and runs the statements on a PostgreSQL, where Livora's Redshift
 * SQL also runs. Values come back as the service sends them: longValue, doubleValue,
 * booleanValue, isNull, and stringValue in the database's text form (decimals and times).
 * Sessions work as the API documents them: `SessionKeepAliveSeconds` opens one (its id
 * comes back), a statement naming `SessionId` runs on it and may not name the target.
 * With `s3`, `COPY … FROM 's3://…' … FORMAT AS PARQUET [MANIFEST]` loads from that S3.
 */
export async function startFakeRedshiftData(
  postgresUrl: string,
  options: { pageSize?: number; s3?: S3Access } = {},
): Promise<FakeRedshiftData> {
  // Redshift sessions are in UTC: times come back as `2026-11-01 10:00:00+00`.
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 24, options: '-c TimeZone=UTC' });
  await installRedshiftFunctions(pool);
  const sessions = new Map<string, pg.PoolClient>();
  /** Each session's expiry: its keep-alive after its last statement (an open transaction is rolled back). */
  const expiries = new Map<string, { seconds: number; timer?: NodeJS.Timeout }>();
  const keepAlive = (id: string) => {
    const expiry = expiries.get(id);
    if (!expiry) return;
    clearTimeout(expiry.timer);
    expiry.timer = setTimeout(() => {
      const client = sessions.get(id);
      sessions.delete(id);
      expiries.delete(id);
      client?.query('ROLLBACK').finally(() => client.release());
    }, expiry.seconds * 1000);
    expiry.timer.unref();
  };
  const pageSize = options.pageSize ?? 500;
  const results = new Map<string, { error?: string; fields?: pg.FieldDef[]; rows?: unknown[][]; count: number }>();
  const statements: FakeRedshiftData['statements'] = [];
  const raw = (value: string) => value; // every value as PostgreSQL's text, as Redshift returns them

  const operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    async ExecuteStatement(input) {
      const id = randomUUID();
      const parameters = (input.Parameters as { name: string; value: string }[] | undefined) ?? [];
      statements.push({
        sql: input.Sql as string,
        parameters,
        ...(typeof input.SessionId === 'string' ? { sessionId: input.SessionId } : {}),
      });
      const names = new Map(parameters.map((p, i) => [p.name, i + 1]));
      const text = (input.Sql as string).replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) =>
        names.has(name) ? `$${names.get(name)}` : whole,
      );
      const client = await sessionOf(input);
      try {
        const copy = options.s3 ? await copyFromS3(client ?? pool, text, options.s3) : null;
        const result =
          copy ??
          (await (client ?? pool).query({
            text,
            values: parameters.map((p) => p.value),
            rowMode: 'array',
            types: { getTypeParser: () => raw },
          }));
        results.set(id, { fields: result.fields, rows: result.rows, count: result.rowCount ?? 0 });
      } catch (error) {
        results.set(id, { error: (error as Error).message, count: 0 });
      }
      const sessionId = [...sessions].find(([, c]) => c === client)?.[0];
      if (sessionId) keepAlive(sessionId);
      return {
        Id: id,
        CreatedAt: Date.now() / 1000,
        Database: input.Database,
        ...(sessionId ? { SessionId: sessionId } : {}),
      };
    },
    async DescribeStatement(input) {
      const result = results.get(input.Id as string);
      if (!result) throw Object.assign(new Error('statement not found'), { type: 'ResourceNotFoundException' });
      return {
        Id: input.Id,
        Status: result.error ? 'FAILED' : 'FINISHED',
        ...(result.error ? { Error: result.error } : {}),
        HasResultSet: (result.fields?.length ?? 0) > 0,
        ResultRows: result.count,
      };
    },
    async GetStatementResult(input) {
      const result = results.get(input.Id as string);
      if (!result?.fields || !result.rows)
        throw Object.assign(new Error('no result set'), { type: 'ValidationException' });
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const page = result.rows.slice(start, start + pageSize);
      const types = result.fields.map((f) => typeNameOf(f.dataTypeID));
      return {
        ColumnMetadata: result.fields.map((f, i) => ({ name: f.name, typeName: types[i] })),
        Records: page.map((row) => row.map((value, i) => fieldOf(value as string | null, types[i] as string))),
        TotalNumRows: result.rows.length,
        ...(start + pageSize < result.rows.length ? { NextToken: String(start + pageSize) } : {}),
      };
    },
  };

  /** The session a statement runs in: the one it names, a new one, or none. */
  async function sessionOf(input: Record<string, unknown>): Promise<pg.PoolClient | null> {
    if (typeof input.SessionId === 'string') {
      const named = ['Database', 'ClusterIdentifier', 'WorkgroupName', 'SecretArn', 'DbUser'].filter((k) => k in input);
      if (named.length > 0)
        throw Object.assign(new Error(`a statement with SessionId cannot also give ${named.join(', ')}`), {
          type: 'ValidationException',
        });
      const client = sessions.get(input.SessionId);
      if (!client) throw Object.assign(new Error('session not found'), { type: 'ValidationException' });
      return client;
    }
    if (input.SessionKeepAliveSeconds === undefined) return null;
    const client = await pool.connect();
    const id = randomUUID();
    sessions.set(id, client);
    expiries.set(id, { seconds: Number(input.SessionKeepAliveSeconds) });
    return client;
  }

  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    request.on('end', async () => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^RedshiftData\./, '');
      const handler = operations[operation];
      try {
        if (!handler)
          throw Object.assign(new Error(`unknown operation ${operation}`), { type: 'UnknownOperationException' });
        const output = await handler(JSON.parse(body || '{}') as Record<string, unknown>);
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(output));
      } catch (error) {
        const type = (error as { type?: string }).type ?? 'InternalServerException';
        response
          .writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type })
          .end(JSON.stringify({ __type: type, message: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statements,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      for (const expiry of expiries.values()) clearTimeout(expiry.timer);
      for (const client of sessions.values()) client.release();
      await pool.end();
    },
  };
}

const TYPE_NAMES: Record<number, string> = {
  16: 'bool',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  700: 'float4',
  701: 'float8',
  1700: 'numeric',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
};

function typeNameOf(oid: number): string {
  return TYPE_NAMES[oid] ?? 'varchar';
}

/** A value as the Data API sends it: integers as longValue, floats as doubleValue, the rest as text. */
function fieldOf(value: string | null, typeName: string) {
  if (value === null) return { isNull: true };
  if (typeName === 'int2' || typeName === 'int4' || typeName === 'int8') return { longValue: Number(value) };
  if (typeName === 'float4' || typeName === 'float8') return { doubleValue: Number(value) };
  if (typeName === 'bool') return { booleanValue: value === 't' };
  return { stringValue: value };
}
