import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  type Field,
  GetStatementResultCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/** Which Redshift the statements run on: a provisioned cluster or a Serverless workgroup. */
export interface RedshiftTarget {
  readonly database: string;
  readonly clusterIdentifier?: string;
  readonly workgroupName?: string;
  /** Credentials from Secrets Manager (else IAM: `dbUser` on a cluster). */
  readonly secretArn?: string;
  readonly dbUser?: string;
}

/** How long an idle Data API session (a transaction's) stays open: a process that dies mid-load rolls back then. */
const SESSION_KEEP_ALIVE_SECONDS = 300;
/** A session idle longer than this is not used again (it may expire while the next BEGIN travels). */
const SESSION_REUSE_MS = (SESSION_KEEP_ALIVE_SECONDS - 60) * 1000;
/** The Data API closes a session after 24 hours, whatever runs in it: an older one is not used again. */
const SESSION_MAX_AGE_MS = 20 * 3600 * 1000;

/** A Data API session: its id, and when it was opened. */
interface Session {
  id: string | null;
  opened: number;
}

/**
 * Kysely's driver role over the Redshift Data API: a statement is submitted, polled until
 * it finishes, and its result read page by page. The Data API takes named parameters of
 * text (`:p1`), so the `$1` placeholders of the compiled SQL are renamed, outside quoted
 * text, and a null is written as NULL (the API has no null parameter). A transaction runs
 * in a Data API session: BEGIN opens one (or takes one an earlier transaction left idle,
 * as a connection pool would), later statements name it, COMMIT or ROLLBACK end the
 * transaction and give the session back. An unused session expires by itself.
 */
export class RedshiftDataDriver implements Driver {
  readonly #client: RedshiftDataClient;
  readonly #target: RedshiftTarget;
  readonly #pollMs: number;
  /** Sessions whose transaction ended, for the next one: newest last. */
  readonly #idle: { session: Session; since: number }[] = [];

  constructor(client: RedshiftDataClient, target: RedshiftTarget, options: { pollMs?: number } = {}) {
    this.#client = client;
    this.#target = target;
    this.#pollMs = options.pollMs ?? 100;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RedshiftDataConnection((query, session) => this.#execute(query, session));
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RedshiftDataConnection;
    for (let idle = this.#idle.pop(); idle; idle = this.#idle.pop()) {
      if (Date.now() - idle.since > SESSION_REUSE_MS || Date.now() - idle.session.opened > SESSION_MAX_AGE_MS) continue;
      try {
        return await c.begin(idle.session);
      } catch {
        // Expired or broken: try the next, or open a new one.
      }
    }
    await c.begin(null);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.#giveBack(await (connection as RedshiftDataConnection).end('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.#giveBack(await (connection as RedshiftDataConnection).end('ROLLBACK'));
  }

  #giveBack(session: Session | null): void {
    if (session) this.#idle.push({ session, since: Date.now() });
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.#client.destroy();
  }

  /** Runs `query`: alone, in the session `session.id`, or opening a session (answered as `sessionId`). */
  async #execute<R>(
    query: CompiledQuery,
    session: { id: string | null } | null,
  ): Promise<QueryResult<R> & { sessionId?: string }> {
    const { sql, parameters } = toNamedParameters(query.sql, query.parameters);
    const t = this.#target;
    // A statement in a session names only the session: the target was given when it opened.
    const where = session?.id
      ? { SessionId: session.id }
      : {
          Database: t.database,
          ...(t.clusterIdentifier ? { ClusterIdentifier: t.clusterIdentifier } : {}),
          ...(t.workgroupName ? { WorkgroupName: t.workgroupName } : {}),
          ...(t.secretArn ? { SecretArn: t.secretArn } : {}),
          ...(t.dbUser ? { DbUser: t.dbUser } : {}),
          ...(session ? { SessionKeepAliveSeconds: SESSION_KEEP_ALIVE_SECONDS } : {}),
        };
    const { Id, SessionId } = await this.#client.send(
      new ExecuteStatementCommand({ Sql: sql, ...where, ...(parameters.length > 0 ? { Parameters: parameters } : {}) }),
    );
    const opened = session && !session.id && SessionId ? { sessionId: SessionId } : {};
    for (;;) {
      const status = await this.#client.send(new DescribeStatementCommand({ Id }));
      if (status.Status === 'FINISHED') {
        if (!status.HasResultSet) return { rows: [], numAffectedRows: BigInt(status.ResultRows ?? 0), ...opened };
        break;
      }
      if (status.Status === 'FAILED' || status.Status === 'ABORTED')
        throw new Error(`Redshift statement ${status.Status.toLowerCase()}: ${status.Error ?? 'no reason given'}`);
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
    }
    const rows: R[] = [];
    let next: string | undefined;
    do {
      const page = await this.#client.send(new GetStatementResultCommand({ Id, NextToken: next }));
      const columns = page.ColumnMetadata ?? [];
      for (const record of page.Records ?? []) {
        const row: Record<string, unknown> = {};
        record.forEach((field, i) => {
          const column = columns[i];
          if (column?.name) row[column.name] = cellOf(field, column.typeName ?? '');
        });
        rows.push(row as R);
      }
      next = page.NextToken;
    } while (next);
    return { rows, ...opened };
  }
}

type Execute = <R>(
  query: CompiledQuery,
  session: { id: string | null } | null,
) => Promise<QueryResult<R> & { sessionId?: string }>;

/** Statements run alone, or, between begin and end, in the transaction's Data API session. */
class RedshiftDataConnection implements DatabaseConnection {
  readonly #execute: Execute;
  #session: Session | null = null;

  constructor(execute: Execute) {
    this.#execute = execute;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#execute<R>(query, this.#session);
  }

  streamQuery(): never {
    throw new Error('the Redshift Data API warehouse does not stream results');
  }

  /** BEGIN in an idle session, or in a new one (null). */
  async begin(reused: Session | null): Promise<void> {
    const session: Session = reused ?? { id: null, opened: Date.now() };
    const { sessionId: opened } = await this.#execute(CompiledQuery.raw('BEGIN'), session);
    session.id ??= opened ?? null;
    if (!session.id) throw new Error('the Redshift Data API opened no session for the transaction');
    this.#session = session;
  }

  /**
   * COMMIT or ROLLBACK; answers the session, free for another transaction, or null when
   * there is none to give back. A COMMIT that fails is followed by a ROLLBACK in its
   * session (so it holds no locks until it expires), and the session is not used again.
   */
  async end(statement: 'COMMIT' | 'ROLLBACK'): Promise<Session | null> {
    const session = this.#session;
    // Kysely rolls back after a failed COMMIT: that one has nothing left to end.
    if (!session?.id) return null;
    this.#session = null;
    try {
      await this.#execute(CompiledQuery.raw(statement), session);
      return session;
    } catch (error) {
      if (statement === 'COMMIT') await this.#execute(CompiledQuery.raw('ROLLBACK'), session).catch(() => undefined);
      throw error;
    }
  }
}

/** `$n` placeholders (outside quoted text) as the Data API's `:pn`; nulls written as NULL. */
export function toNamedParameters(
  sql: string,
  values: readonly unknown[],
): { sql: string; parameters: { name: string; value: string }[] } {
  const used = new Set<number>();
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    if (quote) {
      out += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      out += c;
      continue;
    }
    const match = c === '$' ? /^\$(\d+)/.exec(sql.slice(i)) : null;
    if (!match) {
      out += c;
      continue;
    }
    const n = Number(match[1]);
    const value = values[n - 1];
    if (value === null || value === undefined) out += 'NULL';
    else {
      out += `:p${n}`;
      used.add(n);
    }
    i += (match[0] as string).length - 1;
  }
  const parameters = [...used].map((n) => ({ name: `p${n}`, value: text(values[n - 1]) }));
  return { sql: out, parameters };
}

function text(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A field as the Kysely row holds it: numbers as numbers, times as Dates, decimals as exact text. */
function cellOf(field: Field, typeName: string): unknown {
  if (field.isNull) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  const value = field.stringValue ?? null;
  if (value !== null && /^timestamp/.test(typeName)) {
    // Redshift writes `2026-11-01 10:00:00+00` (or no offset: UTC): ISO 8601 once mended.
    const iso = value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
    return new Date(/([+-]\d{2}:\d{2}|Z)$/.test(iso) ? iso : `${iso}Z`);
  }
  return value;
}
