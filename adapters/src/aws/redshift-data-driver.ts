import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  type Field,
  GetStatementResultCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { IdleSessions } from '../shared/idle-sessions.ts';

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
 * text, and a null is written as NULL (the API has no null parameter). A connection is a
 * Data API session, as a pool would give one: its first statement opens the session (or
 * takes one a released connection left idle), so a transaction and a session's temporary
 * tables live across its statements. A session in which a statement failed is not used
 * again (a ROLLBACK that failed too would leave its transaction open to the next user);
 * an unused session expires by itself.
 */
export class RedshiftDataDriver implements Driver {
  readonly #client: RedshiftDataClient;
  readonly #target: RedshiftTarget;
  readonly #pollMs: number;
  /** Sessions of released connections, for the next ones. */
  readonly #idle = new IdleSessions<Session>({ reuseMs: SESSION_REUSE_MS, maxAgeMs: SESSION_MAX_AGE_MS });

  constructor(client: RedshiftDataClient, target: RedshiftTarget, options: { pollMs?: number } = {}) {
    this.#client = client;
    this.#target = target;
    this.#pollMs = options.pollMs ?? 100;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RedshiftDataConnection((query, session) => this.#execute(query, session), this.#idle.take());
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RedshiftDataConnection).run('BEGIN');
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RedshiftDataConnection;
    try {
      await c.run('COMMIT');
    } catch (error) {
      // Nothing of it must hold locks until the session expires.
      await c.run('ROLLBACK').catch(() => undefined);
      c.ended = true;
      throw error;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RedshiftDataConnection;
    // After a failed COMMIT (rolled back already) Kysely rolls back too: nothing is left to end.
    // A rollback that fails must not hide why it ran: its session is not used again.
    if (!c.ended) await c.run('ROLLBACK').catch(() => undefined);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as RedshiftDataConnection;
    if (c.session.id && !c.failed) this.#idle.keep(c.session);
  }

  async destroy(): Promise<void> {
    this.#client.destroy();
  }

  /** Runs `query` in the session `session.id`, or opening one (its id kept in `session`). */
  async #execute<R>(query: CompiledQuery, session: Session): Promise<QueryResult<R>> {
    const { sql, parameters } = toNamedParameters(query.sql, query.parameters);
    const t = this.#target;
    // A statement in a session names only the session: the target was given when it opened.
    const where = session.id
      ? { SessionId: session.id }
      : {
          Database: t.database,
          ...(t.clusterIdentifier ? { ClusterIdentifier: t.clusterIdentifier } : {}),
          ...(t.workgroupName ? { WorkgroupName: t.workgroupName } : {}),
          ...(t.secretArn ? { SecretArn: t.secretArn } : {}),
          ...(t.dbUser ? { DbUser: t.dbUser } : {}),
          SessionKeepAliveSeconds: SESSION_KEEP_ALIVE_SECONDS,
        };
    const { Id, SessionId } = await this.#client.send(
      new ExecuteStatementCommand({ Sql: sql, ...where, ...(parameters.length > 0 ? { Parameters: parameters } : {}) }),
    );
    // Kept at once: a statement that fails still opened its session.
    session.id ??= SessionId ?? null;
    for (;;) {
      const status = await this.#client.send(new DescribeStatementCommand({ Id }));
      if (status.Status === 'FINISHED') {
        if (!status.HasResultSet) return { rows: [], numAffectedRows: BigInt(status.ResultRows ?? 0) };
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
    return { rows };
  }
}

type Execute = <R>(query: CompiledQuery, session: Session) => Promise<QueryResult<R>>;

/** One Data API session: opened by its first statement unless it reuses an idle one. */
class RedshiftDataConnection implements DatabaseConnection {
  readonly #execute: Execute;
  readonly session: Session;
  /** A statement failed in it: the session is not used again. */
  failed = false;
  /** A COMMIT failed and was rolled back: no transaction is left to end. */
  ended = false;

  constructor(execute: Execute, reused: Session | null) {
    this.#execute = execute;
    this.session = reused ?? { id: null, opened: Date.now() };
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.#execute<R>(query, this.session);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  streamQuery(): never {
    throw new Error('the Redshift Data API warehouse does not stream results');
  }

  async run(statement: 'BEGIN' | 'COMMIT' | 'ROLLBACK'): Promise<void> {
    await this.executeQuery(CompiledQuery.raw(statement));
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
