import { Kysely, MssqlIntrospector } from 'kysely';
import type { Warehouse } from '../ports/warehouse.ts';
import { SynapseDriver, type SynapseTarget } from './synapse-driver.ts';
import { synapseSql } from './synapse-sql.ts';

/** A Synapse dedicated SQL pool as the warehouse, over TDS. */
export function openSynapseWarehouse(target: SynapseTarget): Warehouse {
  const db = new Kysely({
    dialect: {
      createAdapter: () => synapseSql.createAdapter(),
      createDriver: () => new SynapseDriver(target),
      createQueryCompiler: () => synapseSql.createQueryCompiler(),
      createIntrospector: (kysely) => new MssqlIntrospector(kysely),
    },
  });
  return { sql: synapseSql, db, close: () => db.destroy() };
}
