import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type ConsumerDeps,
  type PartitionWorker,
  startPartitionWorker,
  type WorkerOptions,
} from './partition-worker.ts';

/**
 * The pipeline role: holds leases on a fair share of the event log's partitions and runs
 * one worker per partition held. Leases are synced every third of their lifetime.
 */
export function startPipeline(deps: ConsumerDeps & { options: WorkerOptions }) {
  const workers = new Map<string, PartitionWorker>();
  let stopped = false;
  let syncing: Promise<void> = Promise.resolve();

  async function sync(): Promise<void> {
    if (stopped) return;
    try {
      const partitions = await deps.stream.listPartitions();
      const { held, surplus } = await deps.leases.sync(partitions);
      for (const [partition, worker] of workers) if (worker.ended) workers.delete(partition);
      for (const [partition, worker] of workers) {
        if (!held.includes(partition)) {
          workers.delete(partition);
          await worker.stop();
          await deps.leases.release(partition);
        }
      }
      for (const partition of held) {
        if (!workers.has(partition) && !stopped) {
          workers.set(partition, startPartitionWorker({ ...deps, partition }));
          deps.log.info({ partition, owner: deps.leases.owner }, 'pipeline took a partition');
        }
      }
      for (const partition of surplus) await deps.leases.release(partition);
    } catch (error) {
      deps.log.error({ err: error }, 'pipeline lease sync failed');
    }
  }

  const timer = setInterval(
    () => {
      syncing = syncing.then(sync);
    },
    Math.max(250, Math.floor(deps.options.leaseMs / 3)),
  );
  syncing = sync();

  return {
    /** Settles once the first partitions are taken. */
    ready: () => syncing,
    partitions: () => [...workers.keys()],
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await syncing;
      await Promise.all([...workers.values()].map((w) => w.stop()));
      workers.clear();
      await deps.leases.leave();
    },
  };
}

export type RunningPipeline = ReturnType<typeof startPipeline>;

/** A name for this process among pipeline members: host, pid and a nonce. */
export function pipelineOwnerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
