import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppendedRecord,
  compareOffsets,
  type EventStream,
  type EventStreamCapabilities,
  type ReadRecord,
} from '../../src/ports/event-stream.ts';

export interface OpenedStream {
  readonly stream: EventStream;
  /** Closes the stream and opens it again on the same log, as a restarted process would. */
  reopen(): Promise<EventStream>;
  /** Closes whichever stream is open last, and what the test started for it. */
  close(): Promise<void>;
}

/** The consumer group the contract reads as (a stream that reads as one group is opened with it). */
export const CONTRACT_READER_GROUP = 'reader';

const EVERYTHING: EventStreamCapabilities = { offsetsOnAppend: true, latestOffset: true, stableOffsets: true };

/**
 * What every EventStream implementation must do; `open` gives a fresh, empty stream. Where
 * the stream declares it cannot keep a promise (capabilities), the contract tests what it
 * offers instead.
 */
export function eventStreamContract(open: () => Promise<OpenedStream>): void {
  let opened: OpenedStream;
  let stream: EventStream;
  let can: EventStreamCapabilities;
  beforeAll(async () => {
    opened = await open();
    stream = opened.stream;
    can = stream.capabilities ?? EVERYTHING;
  });
  afterAll(async () => {
    await opened?.close();
  });

  async function readAll(partition: string, after: string | null = null): Promise<ReadRecord[]> {
    const out: ReadRecord[] = [];
    let cursor = after;
    for (;;) {
      const page = await stream.read(partition, cursor, 100);
      if (page.length === 0) return out;
      out.push(...page);
      cursor = (page.at(-1) as ReadRecord).offset;
    }
  }

  it('answers one position per record, in input order, and the records read back unchanged', async () => {
    const payloads = ['{"a":1}', '{"quote":"\\"","slash":"\\\\"}', 'line one\nline two', '{"emoji":"ünï 🚀"}'];
    const appended = await stream.append(payloads.map((payload, i) => ({ partitionKey: `order-key-${i}`, payload })));
    // Text holding control characters (record separators, NUL-free) is kept byte for byte too.
    const unusual = ['a\u001eb', '\u001f\u001e\u001d'];
    const unusualAt = await stream.append(unusual.map((payload) => ({ partitionKey: 'unusual', payload })));
    expect(appended).toHaveLength(payloads.length);
    expect(unusualAt).toHaveLength(unusual.length);
    const unusualRead = (await readAll(partitionOf(unusualAt[0]))).filter((r) => unusual.includes(r.payload));
    expect(unusualRead.map((r) => r.payload)).toEqual(unusual);
    for (const [i, position] of appended.entries()) {
      const records = await readAll(position.partition);
      const record = can.offsetsOnAppend
        ? records[records.findIndex((r) => r.offset === position.offset)]
        : records.find((r) => r.payload === payloads[i]);
      expect(record?.payload).toBe(payloads[i]);
      expect(record?.appendedAt).toBeInstanceOf(Date);
      if (can.offsetsOnAppend) {
        const [again] = await stream.read(position.partition, previousOffset(records, position.offset), 1);
        expect(again?.offset).toBe(position.offset);
      }
    }
  });

  // Where append cannot know offsets, its receipts must still tell records and partitions apart.
  it('answers a distinct position per record, in the partition the record is read from', async () => {
    const appended = await stream.append(
      Array.from({ length: 20 }, (_, i) => ({ partitionKey: `receipt-${i % 3}`, payload: `receipt-${i}` })),
    );
    expect(new Set(appended.map((p) => `${p.partition}/${p.offset}`)).size).toBe(appended.length);
    const read = new Map<string, string[]>();
    for (const partition of new Set(appended.map((p) => p.partition))) {
      read.set(
        partition,
        (await readAll(partition)).map((r) => r.payload),
      );
    }
    for (const [i, position] of appended.entries()) expect(read.get(position.partition)).toContain(`receipt-${i}`);
  });

  it('keeps records of one key in one partition, in append order', async () => {
    const first = await stream.append([1, 2, 3].map((n) => ({ partitionKey: 'same-key', payload: `same-${n}` })));
    const second = await stream.append([4, 5].map((n) => ({ partitionKey: 'same-key', payload: `same-${n}` })));
    const all = [...first, ...second];
    expect(new Set(all.map((p) => p.partition)).size).toBe(1);
    for (let i = 1; i < all.length && can.offsetsOnAppend; i++) {
      expect(compareOffsets((all[i - 1] as { offset: string }).offset, (all[i] as { offset: string }).offset)).toBe(-1);
    }
    const partition = partitionOf(all[0]);
    const read = (await readAll(partition)).filter((r) => r.payload.startsWith('same-'));
    expect(read.map((r) => r.payload)).toEqual(['same-1', 'same-2', 'same-3', 'same-4', 'same-5']);
  });

  it('spreads keys over its partitions and lists them all', async () => {
    const appended = await stream.append(
      Array.from({ length: 200 }, (_, i) => ({ partitionKey: `spread-${i}`, payload: `spread-${i}` })),
    );
    const used = new Set(appended.map((p) => p.partition));
    expect(used.size).toBeGreaterThan(1);
    const listed = await stream.listPartitions();
    for (const partition of used) expect(listed).toContain(partition);
  });

  it('reads after an offset, a page at a time, without skipping or repeating', async () => {
    const appended = await stream.append(
      Array.from({ length: 30 }, (_, i) => ({ partitionKey: 'paged', payload: `paged-${i}` })),
    );
    const partition = partitionOf(appended[0]);
    const paged = (await readAll(partition)).filter((r) => r.payload.startsWith('paged-'));
    const fromFifth = await stream.read(partition, (paged[4] as ReadRecord).offset, 10);
    expect(fromFifth.map((r) => r.payload)).toEqual(Array.from({ length: 10 }, (_, i) => `paged-${i + 5}`));
    // Other tests' records share the partition (and come again where delivery is at least once).
    const rest = (await readAll(partition, (fromFifth.at(-1) as ReadRecord).offset)).filter((r) =>
      r.payload.startsWith('paged-'),
    );
    expect(rest.map((r) => r.payload)).toEqual(Array.from({ length: 15 }, (_, i) => `paged-${i + 15}`));
  });

  it('loses and repeats nothing under concurrent appends', async () => {
    const writers = 16;
    const perWriter = 40;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        stream.append(
          Array.from({ length: perWriter }, (_, i) => ({
            partitionKey: `concurrent-${i % 7}`,
            payload: `c-${w}-${i}`,
          })),
        ),
      ),
    );
    const positions = results.flat();
    expect(new Set(positions.map((p) => `${p.partition}/${p.offset}`)).size).toBe(writers * perWriter);
    const seen = new Map<string, number>();
    for (const partition of new Set(positions.map((p) => p.partition))) {
      const records = await readAll(partition);
      for (let i = 1; i < records.length; i++) {
        expect(compareOffsets((records[i - 1] as ReadRecord).offset, (records[i] as ReadRecord).offset)).toBe(-1);
      }
      for (const r of records) if (r.payload.startsWith('c-')) seen.set(r.payload, (seen.get(r.payload) ?? 0) + 1);
    }
    expect(seen.size).toBe(writers * perWriter);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  describe('checkpoints', () => {
    it('start empty, move forward, never back, and are kept per group', async () => {
      const [position] = await stream.append([{ partitionKey: 'ckpt', payload: 'ckpt-1' }]);
      const partition = partitionOf(position);
      await stream.append([{ partitionKey: 'ckpt', payload: 'ckpt-2' }]);
      const [first, later] = (await readAll(partition)).filter((r) => r.payload.startsWith('ckpt-'));
      expect(await stream.getCheckpoint('group-a', partition)).toBeNull();
      await stream.commitCheckpoint('group-a', partition, (later as ReadRecord).offset);
      await stream.commitCheckpoint('group-a', partition, (first as ReadRecord).offset);
      expect(await stream.getCheckpoint('group-a', partition)).toBe((later as ReadRecord).offset);
      expect(await stream.getCheckpoint('group-b', partition)).toBeNull();
    });
  });

  it('knows the last offset of a partition, or answers null where it declares it cannot', async () => {
    const [position] = await stream.append([{ partitionKey: 'latest', payload: 'latest' }]);
    const partition = partitionOf(position);
    const last = (await readAll(partition)).at(-1) as ReadRecord;
    expect(last.payload).toBe('latest');
    expect(await stream.latestOffset(partition)).toBe(can.latestOffset ? last.offset : null);
  });

  it('reads again from the checkpoint once a partition is released: same records, same offsets where it says so', async () => {
    const [position] = await stream.append(
      Array.from({ length: 4 }, (_, i) => ({ partitionKey: 'release', payload: `release-${i}` })),
    );
    const partition = partitionOf(position);
    const checkpoint = await stream.getCheckpoint(CONTRACT_READER_GROUP, partition);
    const mine = (records: ReadRecord[]) => records.filter((r) => r.payload.startsWith('release-'));
    const first = mine(await readAll(partition, checkpoint));
    await stream.release?.(partition);
    const again = mine(await readAll(partition, checkpoint));
    expect(again.map((r) => r.payload)).toEqual(first.map((r) => r.payload));
    if (can.stableOffsets) expect(again.map((r) => r.offset)).toEqual(first.map((r) => r.offset));
  });

  it('resumes after the checkpoint once reopened, losing nothing uncommitted', async () => {
    const [position] = await stream.append(
      Array.from({ length: 6 }, (_, i) => ({ partitionKey: 'resume', payload: `resume-${i}` })),
    );
    const partition = partitionOf(position);
    const read = (await readAll(partition)).filter((r) => r.payload.startsWith('resume-'));
    // Everything before resume-2 is processed; resume-3… were read but not checkpointed when the process went.
    await stream.commitCheckpoint(CONTRACT_READER_GROUP, partition, (read[2] as ReadRecord).offset);
    stream = await opened.reopen();
    const checkpoint = await stream.getCheckpoint(CONTRACT_READER_GROUP, partition);
    expect(checkpoint).toBe((read[2] as ReadRecord).offset);
    // Other tests' unacknowledged records may come again too (at least once); these must.
    const again = (await readAll(partition, checkpoint)).filter((r) => r.payload.startsWith('resume-'));
    expect(again.map((r) => r.payload)).toEqual(['resume-3', 'resume-4', 'resume-5']);
  });

  it('passes its readiness check', async () => {
    await expect(stream.check()).resolves.toBeUndefined();
  });
}

function partitionOf(position: AppendedRecord | undefined): string {
  return (position as AppendedRecord).partition;
}

/** The offset just before `offset` in a partition's records, or null for the first. */
function previousOffset(records: readonly ReadRecord[], offset: string): string | null {
  const index = records.findIndex((r) => r.offset === offset);
  return index > 0 ? (records[index - 1] as ReadRecord).offset : null;
}
