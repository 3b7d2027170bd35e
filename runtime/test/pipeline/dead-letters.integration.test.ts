import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadLetters } from '../../src/pipeline/dead-letters.ts';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let key: string;
let tenantId: string;
/** What the pipeline logged at warn and above. */
const logged: { msg: string; dead_letters?: number }[] = [];

beforeAll(async () => {
  const pipelineLog = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  api = await startTestApi({ LIVORA_LAKE_ROLL_SECONDS: '1' }, { pipeline: true, pipelineLog });
  ({ key, tenantId } = await api.tenant());
});
afterAll(async () => {
  await api?.close();
});

describe('poison records', () => {
  it('go to the dead-letter table with their step and error, while their neighbours reach the lake', async () => {
    const good = { type: 'track', event: 'Fine', event_id: 'fine-1', anonymous_id: 'p-1' };
    await postJson(`${api.url}/v1/events`, { events: [good] }, { authorization: basic(key) });
    // Straight into the log: what the API would never accept, as a bug or another writer might leave it.
    const stored = (id: string, extra: Record<string, unknown>) =>
      JSON.stringify({
        v: 1,
        type: 'track',
        event: 'X',
        event_id: id,
        tenant_id: tenantId,
        source_id: 'test',
        anonymous_id: 'p-1',
        received_at: new Date().toISOString(),
        timestamp: new Date().toISOString(),
        ...extra,
      });
    await api.stream.append([
      { partitionKey: `${tenantId}:p-1`, payload: '{"not json' },
      { partitionKey: `${tenantId}:p-1`, payload: stored('bad-time', { timestamp: 'not a time' }) },
      // Too long for a btree index entry: fails in the identity step's insert, failing its whole batch.
      {
        partitionKey: `${tenantId}:p-1`,
        payload: stored('huge-id', { anonymous_id: randomBytes(15_000).toString('base64') }),
      },
      { partitionKey: `${tenantId}:p-1`, payload: stored('fine-2', {}) },
    ]);
    await eventually(
      async () => {
        const rows = await queryLake(api.lakeDir, `SELECT count(*)::INT AS n FROM {events}`);
        return rows[0]?.n === 2;
      },
      20_000,
      'the two good events in the lake',
    );
    const letters = createDeadLetters(api.db, api.stream);
    const waiting = await letters.list({ tenantId });
    expect(waiting.map((l) => l.step)).toEqual(['parse', 'pipeline']);
    expect(waiting[0]?.error).toBe('timestamp is not a date: "not a time"');
    expect(waiting[1]?.error).toMatch(/index row/);
    const unparsable = (await letters.list()).filter((l) => l.tenantId === null);
    expect(unparsable.map((l) => l.step)).toEqual(['parse']);
    // Each batch's dead letters are logged: the line clouds' monitoring counts for the dead-letter alarm.
    const counted = logged
      .filter((l) => l.msg === 'events dead-lettered')
      .reduce((n, l) => n + (l.dead_letters ?? 0), 0);
    expect(counted).toBe(3);
  });

  it('replay sends a letter back through the pipeline; one that fails again comes back as a new letter', async () => {
    const letters = createDeadLetters(api.db, api.stream);
    const [first] = await letters.list({ tenantId });
    expect(await letters.replay({ id: first?.id as string })).toBe(1);
    await eventually(
      async () =>
        (await letters.list({ tenantId })).length === 1 && (await letters.list({ tenantId }))[0]?.id !== first?.id,
      20_000,
      'a new letter',
    );
    const all = await letters.list({ tenantId, includeReplayed: true });
    expect(all).toHaveLength(2);
    expect(all.find((l) => l.id === first?.id)?.replayedAt).toBeInstanceOf(Date);
    await expect(letters.replay({ id: first?.id as string })).rejects.toThrow(/no dead letter/);
  });
});
