import { sendEvents } from './engine-process.ts';

export interface Ack {
  readonly eventId: string;
  readonly partition: string;
  readonly offset: string;
}

/**
 * Sends batches from `clients` concurrent loops until `until()` says stop or the server
 * stops answering; returns every acknowledged event (202) with its position.
 */
export async function sendUntil(options: {
  url: string;
  key: string;
  clients: number;
  batchSize: number;
  runId: string;
  until: () => boolean;
}): Promise<{ acks: Ack[]; failures: number }> {
  const acks: Ack[] = [];
  let failures = 0;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let batch = 0; !options.until(); batch++) {
        const events = Array.from({ length: options.batchSize }, (_, i) => ({
          type: 'track',
          event: 'Load Tested',
          event_id: `${options.runId}-${client}-${batch}-${i}`,
          anonymous_id: `anon-${client}-${i % 10}`,
          properties: { batch, i },
        }));
        try {
          const response = await sendEvents(options.url, options.key, events);
          if (response.status !== 202) {
            failures++;
            if (response.status >= 500) await new Promise((resolve) => setTimeout(resolve, 20));
            continue;
          }
          const body = (await response.json()) as {
            accepted: { event_id: string; partition: string; offset: string }[];
          };
          for (const a of body.accepted) acks.push({ eventId: a.event_id, partition: a.partition, offset: a.offset });
        } catch {
          failures++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }),
  );
  return { acks, failures };
}
