import { type Client, type IntervalSpec, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

/** The hourly warehouse load (triggered early when a saved funnel needs building). */
export const WAREHOUSE_LOAD_SCHEDULE = 'livora:warehouse-load';

interface ScheduledWorkflow {
  readonly scheduleId: string;
  readonly workflowType: string;
  readonly args: unknown[];
  /** Every hour (or this often), or at these cron times (UTC). */
  readonly cron?: string;
  readonly every?: IntervalSpec['every'];
}

/** Creates the engine's schedules when missing (schedule ids make duplicates impossible), and updates their arguments. */
export async function ensureSchedules(
  client: Client,
  options: { taskQueue: string; retentionHours: number; dedupeWindowHours: number; sessionTtlDays: number },
): Promise<void> {
  const scheduled: ScheduledWorkflow[] = [
    {
      scheduleId: 'livora:event-log-retention',
      workflowType: 'eventLogRetention',
      args: [{ v: 1, retentionHours: options.retentionHours }],
    },
    {
      scheduleId: 'livora:pipeline-maintenance',
      workflowType: 'pipelineMaintenance',
      args: [{ v: 1, dedupeWindowHours: options.dedupeWindowHours, sessionTtlDays: options.sessionTtlDays }],
    },
    // The warehouse: what changed in the lake every hour, everything again every night.
    { scheduleId: WAREHOUSE_LOAD_SCHEDULE, workflowType: 'warehouseLoad', args: [{ v: 1, rebuild: false }] },
    // CRM contacts follow the pipeline's profiles within about a minute.
    { scheduleId: 'livora:crm-profile-sync', workflowType: 'crmProfileSync', args: [{ v: 1 }], every: '1 minute' },
    {
      scheduleId: 'livora:warehouse-rebuild',
      workflowType: 'warehouseLoad',
      args: [{ v: 1, rebuild: true }],
      cron: '30 3 * * *',
    },
  ];
  for (const { scheduleId, workflowType, args, cron, every } of scheduled) {
    const action = { type: 'startWorkflow' as const, workflowType, taskQueue: options.taskQueue, args };
    try {
      await client.schedule.create({
        scheduleId,
        spec: cron ? { cronExpressions: [cron] } : { intervals: [{ every: every ?? '1 hour' }] },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
        action,
      });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      // Settings may have changed since the schedule was made.
      await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, action }));
    }
  }
}
