import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  type Field,
  GetStatementResultCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';

/** Which Redshift the statements run on: a provisioned cluster or a Serverless workgroup. */
export interface RedshiftTarget {
  readonly database: string;
  readonly clusterIdentifier?: string;
  readonly workgroupName?: string;
  /** Credentials from Secrets Manager (else IAM: `dbUser` on a cluster). */
  readonly secretArn?: string;
  readonly dbUser?: string;
}

/**
 * Kysely's driver role over the Redshift Data API: a statement is submitted, polled until
 * it finishes, and its result read page by page. The Data API takes named parameters of
 * text (`:p1`), so the `$1` placeholders of the compiled SQL are renamed, outside quoted
 * text, and a null is written as NULL (the API has no null parameter). Read-only use:
 * the Data API's statements are not one session, so there are no transactions here.
 */
export class RedshiftDataDriver implements Driver {
  readonly #client: RedshiftDataClient;
  readonly #target: RedshiftTarget;
  readonly #pollMs: number;

  constructor(client: RedshiftDataClient, target: RedshiftTarget, options: { pollMs?: number } = {}) {
    this.#client = client;
    this.#target = target;
    this.#pollMs = options.pollMs ?? 100;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return { executeQuery: (query) => this.#execute(query), streamQuery: () => refuseStreaming() };
  }

  async beginTransaction(): Promise<void> {
    throw new Error('the Redshift Data API warehouse runs single statements, not transactions');
  }

  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    this.#client.destroy();
  }

  async #execute<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = toNamedParameters(query.sql, query.parameters);
    const t = this.#target;
    const { Id } = await this.#client.send(
      new ExecuteStatementCommand({
        Sql: sql,
        Database: t.database,
        ...(t.clusterIdentifier ? { ClusterIdentifier: t.clusterIdentifier } : {}),
        ...(t.workgroupName ? { WorkgroupName: t.workgroupName } : {}),
        ...(t.secretArn ? { SecretArn: t.secretArn } : {}),
        ...(t.dbUser ? { DbUser: t.dbUser } : {}),
        ...(parameters.length > 0 ? { Parameters: parameters } : {}),
      }),
    );
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

function refuseStreaming(): never {
  throw new Error('the Redshift Data API warehouse does not stream results');
}
