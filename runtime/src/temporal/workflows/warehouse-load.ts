import { proxyActivities } from '@temporalio/workflow';
import type { WarehouseLoadActivities, WarehouseLoadInput } from '../activities/warehouse-load.ts';

const { loadWarehouse } = proxyActivities<WarehouseLoadActivities>({
  startToCloseTimeout: '2 hours',
  retry: { maximumAttempts: 5 },
});

/**
 * Loads the lake into the warehouse: hourly for the partitions whose files changed,
 * nightly as a full rebuild (both by schedule), or now (`livora warehouse refresh`).
 */
export async function warehouseLoad(input: WarehouseLoadInput) {
  return loadWarehouse(input);
}
