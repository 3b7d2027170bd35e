import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

/** Creates the engine's schedules when missing; schedule ids make duplicates impossible. */
export async function ensureSchedules(
  client: Client,
  options: { taskQueue: string; retentionHours: number },
): Promise<void> {
  const scheduleId = 'livora:event-log-retention';
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'eventLogRetention',
    taskQueue: options.taskQueue,
    args: [{ v: 1, retentionHours: options.retentionHours }],
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 hour' }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action,
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    // The retention setting may have changed since the schedule was made.
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, action }));
  }
}
