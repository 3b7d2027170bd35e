import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOffsets, type EventStream, type ReadRecord } from '../../src/ports/event-stream.ts';

export interface OpenedStream {
  readonly stream: EventStream;
  close(): Promise<void>;
}

/** What every EventStream implementation must do; `open` gives a fresh, empty stream. */
export function eventStreamContract(open: () => Promise<OpenedStream>): void {
  let opened: OpenedStream;
  let stream: EventStream;
  beforeAll(async () => {
    opened = await open();
    stream = opened.stream;
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
    const unusualRead = await stream.read(
      (unusualAt[0] as { partition: string }).partition,
      previousOffset(
        await readAll((unusualAt[0] as { partition: string }).partition),
        (unusualAt[0] as { offset: string }).offset,
      ),
      2,
    );
    expect(unusualRead.map((r) => r.payload)).toEqual(unusual);
    expect(appended).toHaveLength(payloads.length);
    for (const [i, position] of appended.entries()) {
      const [record] = await stream.read(
        position.partition,
        previousOffset(await readAll(position.partition), position.offset),
        1,
      );
      expect(record?.offset).toBe(position.offset);
      expect(record?.payload).toBe(payloads[i]);
      expect(record?.appendedAt).toBeInstanceOf(Date);
    }
  });

  it('keeps records of one key in one partition, in append order', async () => {
    const first = await stream.append([1, 2, 3].map((n) => ({ partitionKey: 'same-key', payload: `same-${n}` })));
    const second = await stream.append([4, 5].map((n) => ({ partitionKey: 'same-key', payload: `same-${n}` })));
    const all = [...first, ...second];
    expect(new Set(all.map((p) => p.partition)).size).toBe(1);
    for (let i = 1; i < all.length; i++) {
      expect(compareOffsets((all[i - 1] as { offset: string }).offset, (all[i] as { offset: string }).offset)).toBe(-1);
    }
    const partition = (all[0] as { partition: string }).partition;
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
    const partition = (appended[0] as { partition: string }).partition;
    const fromFifth = await stream.read(partition, (appended[4] as { offset: string }).offset, 10);
    expect(fromFifth.map((r) => r.payload)).toEqual(Array.from({ length: 10 }, (_, i) => `paged-${i + 5}`));
    const rest = await readAll(partition, (fromFifth.at(-1) as ReadRecord).offset);
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
      const partition = (position as { partition: string }).partition;
      const [later] = await stream.append([{ partitionKey: 'ckpt', payload: 'ckpt-2' }]);
      expect(await stream.getCheckpoint('group-a', partition)).toBeNull();
      await stream.commitCheckpoint('group-a', partition, (later as { offset: string }).offset);
      await stream.commitCheckpoint('group-a', partition, (position as { offset: string }).offset);
      expect(await stream.getCheckpoint('group-a', partition)).toBe((later as { offset: string }).offset);
      expect(await stream.getCheckpoint('group-b', partition)).toBeNull();
    });
  });

  it('knows the last offset of a partition, or says it cannot', async () => {
    const [position] = await stream.append([{ partitionKey: 'latest', payload: 'latest' }]);
    const latest = await stream.latestOffset((position as { partition: string }).partition);
    if (latest !== null) expect(latest).toBe((position as { offset: string }).offset);
    else expect(stream.kind).toBe('aws');
  });

  it('passes its readiness check', async () => {
    await expect(stream.check()).resolves.toBeUndefined();
  });
}

/** The offset just before `offset` in a partition's records, or null for the first. */
function previousOffset(records: readonly ReadRecord[], offset: string): string | null {
  const index = records.findIndex((r) => r.offset === offset);
  return index > 0 ? (records[index - 1] as ReadRecord).offset : null;
}
