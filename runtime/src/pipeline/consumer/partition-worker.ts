import type { EventStream, ReadRecord } from '@livora/adapters/ports';
import type { Logger } from 'pino';
import type { Metrics } from '../../observability/metrics.ts';
import { type LakeRange, type LakeWriter, LeaseLostError } from '../lake/lake-writer.ts';
import type { BatchProcessor } from '../process-batch.ts';
import type { LeaseManager } from './leases.ts';

export const CONSUMER_GROUP = 'pipeline';

export interface WorkerOptions {
  readonly batchSize: number;
  readonly pollMs: number;
  /** A range is written to the lake once it holds this many payload bytes… */
  readonly rollBytes: number;
  /** …or once its oldest event has waited this long. */
  readonly rollMs: number;
  /** Partition lease lifetime: a lake write starts with one ahead of it. */
  readonly leaseMs: number;
}

/** What consuming the log needs, for the whole pipeline and for each partition's worker. */
export interface ConsumerDeps {
  readonly stream: EventStream;
  readonly processor: BatchProcessor;
  readonly lake: LakeWriter;
  readonly leases: LeaseManager;
  readonly metrics: Metrics;
  readonly log: Logger;
}

export interface PartitionWorker {
  readonly partition: string;
  /** It stopped by itself (its lease was lost): the partition needs a new worker if taken again. */
  readonly ended: boolean;
  /** Stops reading, writes what is buffered (while the lease holds), commits, ends. */
  stop(): Promise<void>;
}

/**
 * Consumes one partition: reads batches after the checkpoint, runs them through the
 * steps (state commits per batch), adds kept events to the open lake range, and writes
 * the range to the lake when it is big or old enough; only then does the checkpoint move.
 * A crash, or any error, replays from the checkpoint: state is not applied twice
 * (processed_events), the range's files are written again under the same names, and
 * files of an unfinished range are removed first. Reading waits while a range is
 * written: back-pressure from the lake to the log.
 */
export function startPartitionWorker(
  deps: ConsumerDeps & { partition: string; options: WorkerOptions },
): PartitionWorker {
  const { partition, stream, processor, lake, leases, metrics, log, options } = deps;
  let stopping = false;
  let ended = false;
  let wake: (() => void) | null = null;

  async function run(): Promise<void> {
    let checkpoint: string | null = null;
    let position: string | null = null;
    let range: LakeRange = lake.openRange();
    let rangeBytes = 0;
    let firstOffset: string | null = null;
    let openedAt = 0;
    let recovering = true;

    const flush = async (): Promise<void> => {
      if (position === null || position === checkpoint || firstOffset === null) return;
      // A whole lease lifetime ahead, and a third of it left before each put and the commit.
      const stillOurs = () => leases.holds(partition, options.leaseMs / 3);
      if (!(await leases.extend(partition)))
        throw new LeaseLostError(`lost partition ${partition} before its lake write`);
      const stopTimer = metrics.lakeFlush.startTimer();
      if (range.events > 0) {
        const keys = await range.write(partition, firstOffset, position, stillOurs);
        metrics.lakeFiles.inc(keys.length);
      }
      if (!(await stillOurs())) throw new LeaseLostError(`lost partition ${partition} before its checkpoint`);
      await stream.commitCheckpoint(CONSUMER_GROUP, partition, position);
      await lake.committed(partition, firstOffset);
      stopTimer();
      checkpoint = position;
      range = lake.openRange();
      rangeBytes = 0;
      firstOffset = null;
    };

    while (!stopping) {
      let records: ReadRecord[] = [];
      try {
        if (recovering) {
          // What the stream still holds for this partition was read before: let it go, read again.
          await stream.release?.(partition);
          checkpoint = await stream.getCheckpoint(CONSUMER_GROUP, partition);
          const orphans = await lake.removeOrphans(partition, checkpoint);
          if (orphans > 0) log.warn({ partition, orphans }, 'removed lake files of a range never committed');
          position = checkpoint;
          recovering = false;
        }
        records = await stream.read(partition, position, options.batchSize);
        if (records.length > 0) {
          const result = await processor.process(records, checkpoint);
          for (const [step, n] of result.processed) metrics.pipelineEvents.inc({ step, outcome: 'processed' }, n);
          for (const [step, n] of result.dropped) metrics.pipelineEvents.inc({ step, outcome: 'dropped' }, n);
          for (const [step, n] of result.deadLettered)
            metrics.pipelineEvents.inc({ step, outcome: 'dead_lettered' }, n);
          const deadLetters = [...result.deadLettered.values()].reduce((sum, n) => sum + n, 0);
          // A log line each cloud's monitoring counts (log metric filters, log queries): the dead-letter alarm.
          if (deadLetters > 0)
            log.warn(
              { partition, dead_letters: deadLetters, steps: Object.fromEntries(result.deadLettered) },
              'events dead-lettered',
            );
          if (firstOffset === null) {
            firstOffset = (records[0] as ReadRecord).offset;
            openedAt = Date.now();
          }
          await range.add(result.kept);
          for (const record of records) rangeBytes += record.payload.length;
          position = (records.at(-1) as ReadRecord).offset;
        }
        const newest = records.at(-1);
        metrics.pipelineLagSeconds.set({ partition }, newest ? (Date.now() - newest.appendedAt.getTime()) / 1000 : 0);
        const latest = await stream.latestOffset(partition);
        if (latest !== null) metrics.pipelineLag.set({ partition }, Number(BigInt(latest) - BigInt(position ?? '-1')));
        const due =
          firstOffset !== null && (rangeBytes >= options.rollBytes || Date.now() - openedAt >= options.rollMs);
        if (due) await flush();
      } catch (error) {
        if (error instanceof LeaseLostError) {
          // The new owner replays the range and removes what this one wrote of it.
          log.warn({ partition }, `${error.message}: stopping without committing`);
          range.discard();
          return;
        }
        // The open range may hold part of a batch, or be half written: start again from the checkpoint.
        log.error({ err: error, partition }, 'pipeline batch failed; replaying from the checkpoint');
        range.discard();
        range = lake.openRange();
        rangeBytes = 0;
        firstOffset = null;
        recovering = true;
        await pause(1000);
        continue;
      }
      if (records.length < options.batchSize && !stopping) {
        const waitMs =
          firstOffset === null
            ? options.pollMs
            : Math.min(options.pollMs, Math.max(0, options.rollMs - (Date.now() - openedAt)));
        await pause(waitMs);
      }
    }
    if (!recovering) await flush();
    else range.discard();
  }

  async function runThenRelease(): Promise<void> {
    try {
      await run();
    } finally {
      ended = true;
      await stream.release?.(partition).catch((error) => log.warn({ err: error, partition }, 'release failed'));
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  const running = runThenRelease().catch((error) =>
    log.error({ err: error, partition }, 'partition worker stopped on an error'),
  );
  return {
    partition,
    get ended() {
      return ended;
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
  };
}
