import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { Kysely, PostgresIntrospector } from 'kysely';
import type { Warehouse } from '../ports/warehouse.ts';
import { RedshiftDataDriver, type RedshiftTarget } from './redshift-data-driver.ts';
import { redshiftSql } from './redshift-sql.ts';

export interface RedshiftWarehouseOptions {
  readonly region: string;
  readonly target: RedshiftTarget;
  /** Another endpoint for the Data API (a stand-in in tests); AWS's own when unset. */
  readonly endpoint?: string;
  /** Fixed credentials (a stand-in's); the usual AWS chain when unset. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Redshift as the warehouse, reached through the Redshift Data API (IAM, no VPC access needed). */
export function openRedshiftWarehouse(options: RedshiftWarehouseOptions): Warehouse {
  const client = new RedshiftDataClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const db = new Kysely({
    dialect: {
      createAdapter: () => redshiftSql.createAdapter(),
      createDriver: () => new RedshiftDataDriver(client, options.target),
      createQueryCompiler: () => redshiftSql.createQueryCompiler(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    },
  });
  return { sql: redshiftSql, db, close: () => db.destroy() };
}
