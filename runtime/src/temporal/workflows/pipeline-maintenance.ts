import { proxyActivities } from '@temporalio/workflow';
import type { PipelineMaintenanceActivities, PipelineMaintenanceInput } from '../activities/pipeline-maintenance.ts';

const { purgePipelineState } = proxyActivities<PipelineMaintenanceActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 5 },
});

/** Purges the dedupe window and sessions past their TTL (run hourly by a schedule). */
export async function pipelineMaintenance(
  input: PipelineMaintenanceInput,
): Promise<{ processedEvents: number; sessions: number }> {
  return purgePipelineState(input);
}
