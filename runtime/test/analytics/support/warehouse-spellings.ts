import { redshiftSql } from '@livora/adapters/aws';
import { synapseSql } from '@livora/adapters/azure';
import { bigQuerySql } from '@livora/adapters/gcp';
import { duckDbSql } from '@livora/adapters/local';
import type { WarehouseSql } from '@livora/adapters/ports';

/** Every warehouse's SQL spelling: golden SQL tests compile each query for all of them. */
export const WAREHOUSE_SPELLINGS: readonly WarehouseSql[] = [duckDbSql, redshiftSql, bigQuerySql, synapseSql];
