import { proxyActivities } from '@temporalio/workflow';
import type { EventLogActivities, TrimEventLogInput } from '../activities/event-log.ts';

const { trimEventLog } = proxyActivities<EventLogActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 5 },
});

/** Drops events older than the retention from the local log (run hourly by a schedule). */
export async function eventLogRetention(input: TrimEventLogInput): Promise<{ removed: number }> {
  return trimEventLog(input);
}
