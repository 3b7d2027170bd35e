import type { EventStream } from '@livora/adapters/ports';

export interface TrimEventLogInput {
  readonly v: 1;
  readonly retentionHours: number;
}

/** Activities over the event log; the stream is injected by the worker's composition root. */
export function createEventLogActivities(stream: Pick<EventStream, 'trim'>, now: () => Date = () => new Date()) {
  return {
    async trimEventLog(input: TrimEventLogInput): Promise<{ removed: number }> {
      const before = new Date(now().getTime() - input.retentionHours * 3_600_000);
      return { removed: await stream.trim(before) };
    },
  };
}

export type EventLogActivities = ReturnType<typeof createEventLogActivities>;
