import { describe, expect, it } from 'vitest';
import { createGroupCommitter } from './group-commit.ts';

interface Write {
  readonly items: readonly number[];
  succeed(): void;
  fail(error: unknown): void;
}

/**
 * A log whose writes the test finishes by hand. A write of items answers one result per
 * item: `item * 10`.
 */
function handLog() {
  const writes: Write[] = [];
  const write = (items: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      writes.push({ items, succeed: () => resolve(items.map((i) => i * 10)), fail: reject });
    });
  return { writes, write };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled yet. */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe('createGroupCommitter', () => {
  it('writes at once when idle', async () => {
    const log = handLog();
    const committer = createGroupCommitter(log.write, { maxItemsPerWrite: 100 });
    const result = committer.submit([1, 2]);
    expect(log.writes.map((w) => w.items)).toEqual([[1, 2]]); // synchronously, no wait
    log.writes[0]?.succeed();
    expect(await result).toEqual([10, 20]);
  });

  it('refuses submissions at once while too many items wait behind the running write', async () => {
    const log = handLog();
    const committer = createGroupCommitter(log.write, {
      maxItemsPerWrite: 100,
      maxQueuedItems: 5,
      overloaded: (queued) => new Error(`behind by ${queued}`),
    });
    const running = committer.submit([1, 2, 3]); // being written: not waiting
    const waiting = committer.submit([4, 5, 6, 7]);
    await expect(committer.submit([8, 9])).rejects.toThrow('behind by 4');
    const fits = committer.submit([10]);
    log.writes[0]?.succeed();
    await running;
    await settle();
    log.writes[1]?.succeed();
    expect(await waiting).toEqual([40, 50, 60, 70]);
    expect(await fits).toEqual([100]);
    // Once the queue has drained, submissions are taken again.
    const later = committer.submit([11, 12, 13, 14, 15]);
    log.writes[2]?.succeed();
    expect(await later).toEqual([110, 120, 130, 140, 150]);
  });

  it('answers an empty submission without writing', async () => {
    const log = handLog();
    const committer = createGroupCommitter(log.write, { maxItemsPerWrite: 100 });
    expect(await committer.submit([])).toEqual([]);
    expect(log.writes).toEqual([]);
  });

  it('groups submissions made during a write into the next write, and maps results back', async () => {
    const log = handLog();
    const committer = createGroupCommitter(log.write, { maxItemsPerWrite: 100 });
    const first = watch(committer.submit([1]));
    const second = watch(committer.submit([2, 3]));
    const third = watch(committer.submit([4]));
    const fourth = watch(committer.submit([5, 6, 7]));
    expect(log.writes.map((w) => w.items)).toEqual([[1]]);

    log.writes[0]?.succeed();
    await settle();
    expect(first).toEqual({ settled: true, value: [10] });
    expect(second.settled).toBe(false);
    expect(log.writes.map((w) => w.items)).toEqual([[1], [2, 3, 4, 5, 6, 7]]);

    log.writes[1]?.succeed();
    await settle();
    expect(second).toEqual({ settled: true, value: [20, 30] });
    expect(third).toEqual({ settled: true, value: [40] });
    expect(fourth).toEqual({ settled: true, value: [50, 60, 70] });
  });

  it('maps results by position, whatever the write answers', async () => {
    const committer = createGroupCommitter(async (items: readonly string[]) => items.map((item, i) => `${i}:${item}`), {
      maxItemsPerWrite: 100,
    });
    const results = await Promise.all([committer.submit(['a']), committer.submit(['b', 'c']), committer.submit(['d'])]);
    expect(results).toEqual([['0:a'], ['0:b', '1:c'], ['2:d']]);
  });

  describe('maxItemsPerWrite', () => {
    it('splits the waiting submissions into writes of at most that many items', async () => {
      const log = handLog();
      const committer = createGroupCommitter(log.write, { maxItemsPerWrite: 3 });
      const all = Promise.all([
        committer.submit([0]),
        committer.submit([1, 2]),
        committer.submit([3, 4]),
        committer.submit([5]),
        committer.submit([6, 7, 8]),
      ]);
      for (let i = 0; i < 4; i++) {
        await settle();
        log.writes[i]?.succeed();
      }
      expect(await all).toEqual([[0], [10, 20], [30, 40], [50], [60, 70, 80]]);
      expect(log.writes.map((w) => w.items)).toEqual([[0], [1, 2], [3, 4, 5], [6, 7, 8]]);
    });

    it('never splits one submission, even one larger than the limit', async () => {
      const log = handLog();
      const committer = createGroupCommitter(log.write, { maxItemsPerWrite: 2 });
      const small = committer.submit([0]);
      const large = committer.submit([1, 2, 3, 4, 5]);
      const after = committer.submit([6]);
      log.writes[0]?.succeed();
      await settle();
      expect(log.writes[1]?.items).toEqual([1, 2, 3, 4, 5]);
      log.writes[1]?.succeed();
      await settle();
      log.writes[2]?.succeed();
      expect(await Promise.all([small, large, after])).toEqual([[0], [10, 20, 30, 40, 50], [60]]);
      expect(log.writes).toHaveLength(3);
    });
  });

  describe('a failed write', () => {
    it('rejects every submission in it, and only those', async () => {
      const log = handLog();
      const committer = createGroupCommitter(log.write, { maxItemsPerWrite: 2 });
      const first = watch(committer.submit([1]));
      const second = watch(committer.submit([2]));
      const third = watch(committer.submit([3]));
      const fourth = watch(committer.submit([4]));
      log.writes[0]?.succeed();
      await settle();
      const failure = new Error('log unavailable');
      log.writes[1]?.fail(failure);
      await settle();
      expect(first).toEqual({ settled: true, value: [10] });
      expect(second).toEqual({ settled: true, error: failure });
      expect(third).toEqual({ settled: true, error: failure });
      expect(fourth.settled).toBe(false);
      log.writes[2]?.succeed();
      await settle();
      expect(fourth).toEqual({ settled: true, value: [40] });
    });

    it('leaves the committer working for later submissions', async () => {
      let calls = 0;
      const committer = createGroupCommitter(
        async (items: readonly number[]) => {
          calls++;
          if (calls === 1) throw new Error('first write fails');
          return items.map((i) => -i);
        },
        { maxItemsPerWrite: 10 },
      );
      await expect(committer.submit([1])).rejects.toThrow('first write fails');
      expect(await committer.submit([2, 3])).toEqual([-2, -3]);
    });

    it('rejects when the write throws synchronously', async () => {
      const committer = createGroupCommitter(
        (_items: readonly number[]): Promise<number[]> => {
          throw new Error('sync failure');
        },
        { maxItemsPerWrite: 10 },
      );
      await expect(committer.submit([1])).rejects.toThrow('sync failure');
    });
  });

  describe('drain', () => {
    it('waits for every submitted item to be written', async () => {
      const log = handLog();
      const committer = createGroupCommitter(log.write, { maxItemsPerWrite: 100 });
      void committer.submit([1]);
      void committer.submit([2]);
      const drained = watch(committer.drain());
      await settle();
      expect(drained.settled).toBe(false);
      log.writes[0]?.succeed();
      await settle();
      expect(drained.settled).toBe(false);
      log.writes[1]?.succeed();
      await settle();
      expect(drained.settled).toBe(true);
    });

    it('waits for failed writes too, without rejecting', async () => {
      const log = handLog();
      const committer = createGroupCommitter(log.write, { maxItemsPerWrite: 100 });
      committer.submit([1]).catch(() => {});
      const drained = watch(committer.drain());
      log.writes[0]?.fail(new Error('x'));
      await settle();
      expect(drained).toEqual({ settled: true, value: undefined });
    });

    it('resolves at once when nothing is in flight', async () => {
      const committer = createGroupCommitter(async (items: readonly number[]) => [...items], { maxItemsPerWrite: 1 });
      const drained = watch(committer.drain());
      await settle();
      expect(drained.settled).toBe(true);
    });
  });
});
