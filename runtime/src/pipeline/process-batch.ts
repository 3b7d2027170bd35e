import type { ReadRecord } from '@livora/adapters/ports';
import { type Kysely, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';
import type { StoredEvent } from '../events/canonical-event.ts';
import { ConcurrentClaim, claim } from './claims.ts';
import { isIsoTimestamp } from './iso-timestamp.ts';
import { mergePersons } from './merge-persons.ts';
import type { PipelineEvent, Step, StepContext } from './pipeline-event.ts';

export interface DeadLetter {
  readonly record: ReadRecord;
  readonly tenantId: string | null;
  readonly step: string;
  readonly error: string;
}

export interface BatchResult {
  /** Events every step kept, in log order, with what the steps derived. */
  readonly kept: PipelineEvent[];
  /** Per step: how many events it ran on, dropped, and sent to the dead-letter table. */
  readonly processed: Map<string, number>;
  readonly dropped: Map<string, number>;
  readonly deadLettered: Map<string, number>;
}

/**
 * Runs a batch of log records through the steps in one PostgreSQL transaction: the
 * steps' state, the processed-event rows and the dead letters commit together or not at
 * all. A batch that throws is retried event by event, and an event that still throws is
 * dead-lettered (a poison record must not stall its partition).
 */
export function createBatchProcessor(deps: {
  db: Kysely<Tables>;
  steps: readonly Step[];
  /** Told how long each step took for a batch (and `record`: writing processed events and dead letters). */
  timing?: (step: string, seconds: number) => void;
}) {
  async function attempt(records: readonly ReadRecord[], checkpoint: string | null): Promise<BatchResult> {
    for (let tries = 0; ; tries++) {
      try {
        return await deps.db.transaction().execute((tx) => runSteps(tx, records, checkpoint));
      } catch (error) {
        if (!(error instanceof ConcurrentClaim) || tries >= 3) throw error;
      }
    }
  }

  async function runSteps(
    tx: Parameters<Step['run']>[1]['tx'],
    records: readonly ReadRecord[],
    checkpoint: string | null,
  ): Promise<BatchResult> {
    const merges: StepContext['merges'] = [];
    const processed = new Map<string, number>();
    const dropped = new Map<string, number>();
    const deadLettered = new Map<string, number>();
    const letters: DeadLetter[] = [];
    let current: PipelineEvent[] = [];
    for (const record of records) {
      try {
        // Parsed afresh on every attempt: steps change the event (IP truncation) and its derived fields.
        const event = JSON.parse(record.payload) as StoredEvent;
        // The API never stores such an event; another writer (or a bug) might. Caught here, it
        // does not reach a query as an invalid date.
        if (!isIsoTimestamp(event.timestamp)) {
          letters.push({
            record,
            tenantId: event.tenant_id ?? null,
            step: 'parse',
            error: `timestamp is not a date: ${JSON.stringify(event.timestamp)}`,
          });
          continue;
        }
        current.push({ partition: record.partition, offset: record.offset, event, derived: {} });
      } catch (error) {
        letters.push({ record, tenantId: null, step: 'parse', error: (error as Error).message });
      }
    }
    for (const step of deps.steps) {
      processed.set(step.name, current.length);
      const started = performance.now();
      const outcomes = await step.run(current, { tx, merges, checkpoint });
      deps.timing?.(step.name, (performance.now() - started) / 1000);
      const next: PipelineEvent[] = [];
      current.forEach((item, i) => {
        const outcome = outcomes[i];
        if (!outcome || outcome.kind === 'ok') next.push(item);
        else if (outcome.kind === 'drop') dropped.set(step.name, (dropped.get(step.name) ?? 0) + 1);
        else
          letters.push({
            record: recordOf(records, item),
            tenantId: item.event.tenant_id,
            step: step.name,
            error: outcome.error,
          });
      });
      current = next;
    }
    for (const letter of letters) deadLettered.set(letter.step, (deadLettered.get(letter.step) ?? 0) + 1);
    for (const { tenantId, from, to } of merges) await mergePersons(tx, tenantId, from, to);
    const started = performance.now();
    await recordProcessed(tx, current);
    await recordDeadLetters(tx, letters);
    deps.timing?.('record', (performance.now() - started) / 1000);
    return { kept: current, processed, dropped, deadLettered };
  }

  /** Runs a batch of one partition's records; `checkpoint` is the partition's committed one. */
  async function process(records: readonly ReadRecord[], checkpoint: string | null): Promise<BatchResult> {
    try {
      return await attempt(records, checkpoint);
    } catch (batchError) {
      if (records.length === 1) {
        const record = records[0] as ReadRecord;
        await deps.db
          .transaction()
          .execute((tx) =>
            recordDeadLetters(tx, [
              { record, tenantId: tenantOf(record), step: 'pipeline', error: (batchError as Error).message },
            ]),
          );
        return { kept: [], processed: new Map(), dropped: new Map(), deadLettered: new Map([['pipeline', 1]]) };
      }
      // Find the poison record: one event at a time, in order.
      const kept: PipelineEvent[] = [];
      const totals = {
        processed: new Map<string, number>(),
        dropped: new Map<string, number>(),
        deadLettered: new Map<string, number>(),
      };
      for (const record of records) {
        const one = await process([record], checkpoint);
        kept.push(...one.kept);
        for (const name of ['processed', 'dropped', 'deadLettered'] as const) {
          for (const [k, v] of one[name]) totals[name].set(k, (totals[name].get(k) ?? 0) + v);
        }
      }
      return { kept, ...totals };
    }
  }

  return { process };
}

export type BatchProcessor = ReturnType<typeof createBatchProcessor>;

function recordOf(records: readonly ReadRecord[], item: PipelineEvent): ReadRecord {
  return records.find((r) => r.offset === item.offset) as ReadRecord;
}

function tenantOf(record: ReadRecord): string | null {
  try {
    return (JSON.parse(record.payload) as { tenant_id?: string }).tenant_id ?? null;
  } catch {
    return null;
  }
}

async function recordProcessed(tx: Parameters<Step['run']>[1]['tx'], items: readonly PipelineEvent[]): Promise<void> {
  const fresh = items.filter((item) => !item.replayOf);
  if (fresh.length === 0) return;
  await claim(
    sql`
      INSERT INTO processed_events (tenant_id, event_id, partition, "offset", person_id, session_id)
      SELECT * FROM unnest(${fresh.map((i) => i.event.tenant_id)}::text[], ${fresh.map((i) => i.event.event_id)}::text[],
                           ${fresh.map((i) => i.partition)}::text[], ${fresh.map((i) => i.offset)}::numeric[],
                           ${fresh.map((i) => i.derived.person_id ?? null)}::uuid[], ${fresh.map((i) => i.derived.session_id ?? null)}::uuid[])`.execute(
      tx,
    ),
    'processed_events_pkey',
  );
}

async function recordDeadLetters(tx: Parameters<Step['run']>[1]['tx'], letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await sql`
    INSERT INTO dead_letters (tenant_id, partition, "offset", step, error, payload)
    SELECT * FROM unnest(${letters.map((l) => l.tenantId)}::text[], ${letters.map((l) => l.record.partition)}::text[],
                         ${letters.map((l) => l.record.offset)}::numeric[], ${letters.map((l) => l.step)}::text[],
                         ${letters.map((l) => l.error)}::text[], ${letters.map((l) => l.record.payload)}::text[])
    ON CONFLICT (partition, "offset") DO NOTHING`.execute(tx);
}
