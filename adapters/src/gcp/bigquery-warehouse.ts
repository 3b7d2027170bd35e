import { BigQuery } from '@google-cloud/bigquery';
import { Kysely, MysqlIntrospector } from 'kysely';
import type { Warehouse } from '../ports/warehouse.ts';
import { BigQueryDriver, type BigQueryTarget } from './bigquery-driver.ts';
import { bigQuerySql } from './bigquery-sql.ts';

export interface BigQueryWarehouseOptions extends BigQueryTarget {
  /** Another endpoint for BigQuery's API (a stand-in in tests: no Google credentials are asked for then). */
  readonly apiEndpoint?: string;
  /** A service account key file; Google's application default credentials when unset. */
  readonly keyFilename?: string;
}

/** BigQuery as the warehouse: queries as jobs.query calls, in the target dataset. */
export function openBigQueryWarehouse(options: BigQueryWarehouseOptions): Warehouse {
  const client = new BigQuery({
    projectId: options.projectId,
    ...(options.location ? { location: options.location } : {}),
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.keyFilename ? { keyFilename: options.keyFilename } : {}),
  });
  const db = new Kysely({
    dialect: {
      createAdapter: () => bigQuerySql.createAdapter(),
      createDriver: () => new BigQueryDriver(client, options),
      createQueryCompiler: () => bigQuerySql.createQueryCompiler(),
      createIntrospector: (kysely) => new MysqlIntrospector(kysely),
    },
  });
  return { sql: bigQuerySql, db, close: () => db.destroy() };
}
