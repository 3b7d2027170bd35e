import type { LakeLoader, LoadSummary } from '../../warehouse/lake-loader.ts';

export interface WarehouseLoadInput {
  readonly v: 1;
  /** Reload every partition from `since` (all when unset), not only those whose lake files changed. */
  readonly rebuild: boolean;
  readonly since?: string;
}

/** The warehouse loads, as activities (idempotent per partition: a retry redoes what it must). */
export function createWarehouseLoadActivities(loader: LakeLoader | null) {
  return {
    async loadWarehouse(input: WarehouseLoadInput): Promise<LoadSummary> {
      if (!loader) throw new Error('this worker has no warehouse to load');
      return loader.load({ rebuild: input.rebuild, ...(input.since ? { since: input.since } : {}) });
    },
  };
}

export type WarehouseLoadActivities = ReturnType<typeof createWarehouseLoadActivities>;
