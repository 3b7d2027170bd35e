import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

interface HourlyWorkflow {
  readonly scheduleId: string;
  readonly workflowType: string;
  readonly args: unknown[];
}

/** Creates the engine's schedules when missing (schedule ids make duplicates impossible), and updates their arguments. */
export async function ensureSchedules(
  client: Client,
  options: { taskQueue: string; retentionHours: number; dedupeWindowHours: number; sessionTtlDays: number },
): Promise<void> {
  const hourly: HourlyWorkflow[] = [
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
  ];
  for (const { scheduleId, workflowType, args } of hourly) {
    const action = { type: 'startWorkflow' as const, workflowType, taskQueue: options.taskQueue, args };
    try {
      await client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: '1 hour' }] },
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
