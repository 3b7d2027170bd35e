import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A column of an answer, as BigQuery's schema names it. */
export interface FakeField {
  readonly name: string;
  readonly type: 'STRING' | 'INT64' | 'FLOAT64' | 'NUMERIC' | 'BOOL' | 'TIMESTAMP' | 'DATE';
}

/** What the stand-in answers to a query: columns and rows of cells, written as BigQuery writes them (text). */
export interface FakeAnswer {
  readonly fields: readonly FakeField[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/** A jobs.query request as it arrived (the body BigQuery's API receives). */
export interface RecordedQuery {
  readonly project: string;
  readonly body: {
    query: string;
    useLegacySql?: boolean;
    parameterMode?: string;
    queryParameters?: { parameterType: { type: string }; parameterValue: { value?: unknown } }[];
    defaultDataset?: { projectId: string; datasetId: string };
    location?: string;
    createSession?: boolean;
    connectionProperties?: { key: string; value: string }[];
  };
  /** The session it ran in (made by `createSession`, or named by `connectionProperties`). */
  readonly sessionId?: string;
}

export interface FakeBigQuery {
  readonly url: string;
  readonly queries: RecordedQuery[];
  /** Results requests (polls and pages) served. */
  readonly resultCalls: number;
  close(): Promise<void>;
}

/**
 * A stand-in for BigQuery's REST API (v2), enough for queries: `jobs.query` (POST
 * /projects/{p}/queries) and `jobs.getQueryResults` (GET /projects/{p}/queries/{job}),
 * with BigQuery's JSON shapes: rows as `{f: [{v}]}`, times as int64 microseconds, a job
 * still running (`jobComplete: false`) for the first `pendingPolls` results calls, pages
 * of `pageSize` rows behind `pageToken`s, and errors as Google's error document. Sessions
 * as documented: `createSession` makes one (its id in `sessionInfo`), `connectionProperties`
 * with `session_id` runs a query in it (an unknown or ended one is refused), `SELECT
 * @@session_id` answers the id, and `CALL BQ.ABORT_SESSION()` ends the session. No other SQL runs here: `answer` says what each query returns (or throws
 * to fail it).
 */
export async function startFakeBigQuery(options: {
  answer: (query: RecordedQuery) => FakeAnswer;
  pendingPolls?: number;
  pageSize?: number;
}): Promise<FakeBigQuery> {
  const queries: RecordedQuery[] = [];
  const jobs = new Map<string, { answer: FakeAnswer; pending: number; location: string }>();
  let resultCalls = 0;
  const sessions = new Set<string>();
  let sessionsMade = 0;
  const pageSize = options.pageSize ?? 100_000;

  const page = (jobId: string, start: number) => {
    const job = jobs.get(jobId) as { answer: FakeAnswer; location: string };
    const rows = job.answer.rows.slice(start, start + pageSize);
    const next = start + pageSize < job.answer.rows.length ? String(start + pageSize) : undefined;
    return {
      jobReference: { projectId: 'project', jobId, location: job.location },
      jobComplete: true,
      schema: { fields: job.answer.fields.map((f) => ({ name: f.name, type: f.type, mode: 'NULLABLE' })) },
      rows: rows.map((cells) => ({ f: cells.map((v) => ({ v })) })),
      totalRows: String(job.answer.rows.length),
      ...(next ? { pageToken: next } : {}),
    };
  };

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(body));
    };
    const submitted = /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/.exec(url.pathname);
    const results = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'POST' && submitted) {
      let text = '';
      for await (const chunk of request) text += chunk;
      const body = JSON.parse(text) as RecordedQuery['body'];
      const named = body.connectionProperties?.find((p) => p.key === 'session_id')?.value;
      if (named !== undefined && !sessions.has(named)) {
        send(400, { error: { code: 400, message: `Session ${named} not found`, status: 'INVALID_ARGUMENT' } });
        return;
      }
      const sessionId = body.createSession ? `session_${++sessionsMade}` : named;
      if (sessionId) sessions.add(sessionId);
      const query: RecordedQuery = { project: submitted[1] as string, body, ...(sessionId ? { sessionId } : {}) };
      queries.push(query);
      let answer: FakeAnswer;
      try {
        if (/^CALL BQ\.ABORT_SESSION\(\)$/i.test(body.query.trim())) {
          if (sessionId) sessions.delete(sessionId);
          answer = { fields: [], rows: [] };
        } else
          answer = /^SELECT @@session_id\b/i.test(body.query.trim())
            ? { fields: [{ name: 'session_id', type: 'STRING' }], rows: [[sessionId ?? null]] }
            : options.answer(query);
      } catch (error) {
        const message = (error as Error).message;
        send(400, {
          error: { code: 400, message, status: 'INVALID_ARGUMENT', errors: [{ message, reason: 'invalidQuery' }] },
        });
        return;
      }
      const jobId = `job_${queries.length}`;
      const location = query.body.location ?? 'US';
      jobs.set(jobId, { answer, pending: options.pendingPolls ?? 0, location });
      if ((options.pendingPolls ?? 0) > 0)
        send(200, {
          kind: 'bigquery#queryResponse',
          jobReference: { projectId: query.project, jobId, location },
          jobComplete: false,
        });
      else
        send(200, {
          kind: 'bigquery#queryResponse',
          ...page(jobId, 0),
          ...(sessionId ? { sessionInfo: { sessionId } } : {}),
        });
      return;
    }
    if (request.method === 'GET' && results) {
      resultCalls++;
      const job = jobs.get(results[2] as string);
      if (!job) {
        send(404, { error: { code: 404, message: 'Not found: Job', status: 'NOT_FOUND' } });
        return;
      }
      if (job.pending > 0) {
        job.pending--;
        send(200, {
          kind: 'bigquery#getQueryResultsResponse',
          jobReference: { jobId: results[2], location: job.location },
          jobComplete: false,
        });
        return;
      }
      send(200, {
        kind: 'bigquery#getQueryResultsResponse',
        ...page(results[2] as string, Number(url.searchParams.get('pageToken') ?? 0)),
      });
      return;
    }
    send(404, {
      error: { code: 404, message: `no such method: ${request.method} ${url.pathname}`, status: 'NOT_FOUND' },
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    get resultCalls() {
      return resultCalls;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
