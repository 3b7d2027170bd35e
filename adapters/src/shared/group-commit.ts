/**
 * Group commit: appends that arrive while a write is in flight are joined into the next
 * write, so the log pays one round trip (and one fsync) per group instead of per request.
 * An idle committer writes at once, so a lone append waits for nothing.
 */

export interface GroupCommitter<T, R> {
  /** Resolves with one result per item, in order, once the write holding them has finished. */
  submit(items: readonly T[]): Promise<R[]>;
  /** Resolves when every submitted item has been written (or has failed). */
  drain(): Promise<void>;
}

interface Pending<T, R> {
  readonly items: readonly T[];
  readonly resolve: (results: R[]) => void;
  readonly reject: (error: unknown) => void;
}

export function createGroupCommitter<T, R>(
  write: (items: readonly T[]) => Promise<R[]>,
  options: {
    maxItemsPerWrite: number;
    /** Items waiting behind the running write past which submissions are refused (the log is stuck or slow). */
    maxQueuedItems?: number;
    /** The error a refused submission gets. */
    overloaded?: (queued: number) => Error;
  },
): GroupCommitter<T, R> {
  let queue: Pending<T, R>[] = [];
  let queuedItems = 0;
  let running: Promise<void> | null = null;

  async function run(): Promise<void> {
    while (queue.length > 0) {
      const group = takeGroup();
      const items = group.flatMap((p) => p.items);
      try {
        const results = await write(items);
        let at = 0;
        for (const p of group) {
          p.resolve(results.slice(at, at + p.items.length));
          at += p.items.length;
        }
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
    running = null;
  }

  function takeGroup(): Pending<T, R>[] {
    let count = 0;
    let n = 0;
    // Always take at least one submission, even one larger than the limit.
    while (n < queue.length) {
      const size = queue[n]?.items.length ?? 0;
      if (n > 0 && count + size > options.maxItemsPerWrite) break;
      count += size;
      n++;
    }
    const group = queue.slice(0, n);
    queue = queue.slice(n);
    queuedItems -= count;
    return group;
  }

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve([]);
      if (options.maxQueuedItems !== undefined && queuedItems + items.length > options.maxQueuedItems) {
        const error = options.overloaded?.(queuedItems) ?? new Error(`${queuedItems} items already wait to be written`);
        return Promise.reject(error);
      }
      return new Promise<R[]>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        queuedItems += items.length;
        running ??= run();
      });
    },
    async drain() {
      while (running) await running;
    },
  };
}
