import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKinesisEventStream } from '../../src/aws/kinesis-event-stream.ts';
import { StreamUnavailableError } from '../../src/ports/event-stream.ts';

// The emulator never throttles, so PutRecords' partial failures are played by a stand-in
// speaking Kinesis's JSON 1.1 wire format: per-record ErrorCode, FailedRecordCount.
interface Call {
  readonly partitionKeys: string[];
}

let server: Server;
let endpoint: string;
const calls: Call[] = [];
let failPattern: (attempt: number, index: number) => boolean = () => false;
/** When set, the whole call is refused with this Kinesis error (HTTP 400). */
let refuseWith: string | null = null;
let sequence = 1000;

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'Kinesis_20131202.PutRecords') {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'UnknownOperationException' }));
        return;
      }
      const { Records } = JSON.parse(body) as { Records: { PartitionKey: string; Data: string }[] };
      const attempt = calls.length;
      calls.push({ partitionKeys: Records.map((r) => r.PartitionKey) });
      if (refuseWith || Records.some((r) => r.PartitionKey.length > 256)) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: refuseWith ?? 'ValidationException', message: 'refused' }));
        return;
      }
      let failed = 0;
      const results = Records.map((_, i) => {
        if (failPattern(attempt, i)) {
          failed++;
          return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' };
        }
        return { ShardId: 'shardId-000000000000', SequenceNumber: String(sequence++) };
      });
      response.end(JSON.stringify({ FailedRecordCount: failed, Records: results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const noCheckpoints = {
  get: async () => null,
  commit: async () => undefined,
};

describe('Kinesis PutRecords partial failures', () => {
  it('retries only the failed records and answers every position in input order', async () => {
    calls.length = 0;
    // First call: every odd record is throttled; the retry succeeds.
    failPattern = (attempt, index) => attempt === 0 && index % 2 === 1;
    const stream = openKinesisEventStream({
      streamName: 's',
      region: 'us-east-1',
      endpoint,
      checkpoints: noCheckpoints,
    });
    const records = Array.from({ length: 6 }, (_, i) => ({ partitionKey: `k${i}`, payload: `p${i}` }));
    const positions = await stream.append(records);
    await stream.close();
    expect(calls.map((c) => c.partitionKeys)).toEqual([
      ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'],
      ['k1', 'k3', 'k5'],
    ]);
    // Records 0, 2, 4 got the first three numbers; 1, 3, 5 the next three, on the retry.
    const offsets = positions.map((p) => Number(p.offset));
    expect(offsets.filter((_, i) => i % 2 === 0)).toEqual([
      offsets[0],
      (offsets[0] as number) + 1,
      (offsets[0] as number) + 2,
    ]);
    expect(offsets.filter((_, i) => i % 2 === 1)).toEqual([
      (offsets[0] as number) + 3,
      (offsets[0] as number) + 4,
      (offsets[0] as number) + 5,
    ]);
  });

  it('sends a partition key longer than Kinesis takes as its hash, the same for the same key', async () => {
    calls.length = 0;
    failPattern = () => false;
    const stream = openKinesisEventStream({
      streamName: 's',
      region: 'us-east-1',
      endpoint,
      checkpoints: noCheckpoints,
    });
    const long = `tenant:${'x'.repeat(300)}`;
    await stream.append([
      { partitionKey: long, payload: 'a' },
      { partitionKey: long, payload: 'b' },
      { partitionKey: 'short', payload: 'c' },
    ]);
    await stream.close();
    const [sent] = calls.map((c) => c.partitionKeys);
    expect(sent?.[0]).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
    expect(sent?.[1]).toBe(sent?.[0]);
    expect(sent?.[2]).toBe('short');
  });

  it('does not retry what Kinesis refuses for good (validation, a missing stream)', async () => {
    calls.length = 0;
    refuseWith = 'ResourceNotFoundException';
    const stream = openKinesisEventStream({
      streamName: 's',
      region: 'us-east-1',
      endpoint,
      checkpoints: noCheckpoints,
    });
    try {
      await expect(stream.append([{ partitionKey: 'a', payload: 'x' }])).rejects.toThrow(/Kinesis refused the write/);
      expect(calls).toHaveLength(1);
    } finally {
      refuseWith = null;
      await stream.close();
    }
  });

  it('gives up after its attempts with StreamUnavailableError naming the error', async () => {
    calls.length = 0;
    failPattern = (_attempt, index) => index === 0;
    const stream = openKinesisEventStream({
      streamName: 's',
      region: 'us-east-1',
      endpoint,
      checkpoints: noCheckpoints,
      maxAttempts: 3,
    });
    const failure = stream.append([
      { partitionKey: 'a', payload: 'x' },
      { partitionKey: 'b', payload: 'y' },
    ]);
    await expect(failure).rejects.toBeInstanceOf(StreamUnavailableError);
    await expect(failure).rejects.toThrow(/1 of 2 records after 3 attempts \(ProvisionedThroughputExceededException/);
    expect(calls).toHaveLength(3);
    await stream.close();
  });
});
