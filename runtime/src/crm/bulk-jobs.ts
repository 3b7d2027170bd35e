import type { Kysely, Updateable } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { LivoraError } from '../errors.ts';
import { uuidV7 } from '../events/uuid-v7.ts';
import type { BulkAction, BulkActions, BulkTarget } from './bulk-actions.ts';
import { crmUser } from './crm-permissions.ts';

/** A bulk change as its requester follows it. */
export interface BulkJob {
  readonly id: string;
  readonly action: string;
  /** `interrupted`: the process running it stopped, and its transaction with it: nothing was applied. */
  readonly status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  /** Contacts matched, once known, and how many of them are done. */
  readonly total: number | null;
  readonly done: number;
  readonly result: { matched: number; changed: number } | null;
  readonly error: { code: string; message: string } | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** A running job whose process has not reported for this long has stopped with it. */
const HEARTBEAT_LIMIT_MS = 120_000;
const HEARTBEAT_EVERY_MS = 20_000;

/**
 * Runs bulk changes as jobs: the request waits up to `answerWithinMs` (a second) for the
 * outcome; a longer change goes on in the background and the requester follows its job
 * (progress after each 10,000 contacts, then the outcome). The change itself is still one
 * transaction: a failed or interrupted job applied nothing.
 */
export function createBulkJobs(
  db: Kysely<Tables>,
  tenantDb: TenantDatabase,
  bulk: BulkActions,
  options: { readonly answerWithinMs: number } = { answerWithinMs: 1000 },
) {
  const read = (tenantId: string, id: string) =>
    tenantDb.read(tenantId, (tx) =>
      tx.selectFrom('crm_jobs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    );

  return {
    /** The outcome when it comes within the wait (a refusal thrown as it is), else the running job. */
    async start(
      principal: Principal,
      change: BulkAction,
      target: BulkTarget,
      requestId?: string,
    ): Promise<{ job: BulkJob; finished: boolean }> {
      const user = crmUser(principal);
      const id = uuidV7();
      await db
        .insertInto('crm_jobs')
        .values({
          id,
          tenant_id: user.tenantId,
          requested_by: user.subject,
          action: change.action,
          status: 'running',
        })
        .execute();
      // A job row that cannot be written (the database gone) goes stale and reads as interrupted.
      const update = (values: Updateable<Tables['crm_jobs']>) =>
        db
          .updateTable('crm_jobs')
          .set(values)
          .where('id', '=', id)
          .execute()
          .catch(() => undefined);
      const outcome = bulk
        .run(principal, change, target, requestId, async (done, total) => {
          await update({ done, total, heartbeat_at: new Date() });
        })
        .then(
          async (result) => {
            await update({ status: 'succeeded', result: JSON.stringify(result), finished_at: new Date() });
            return { error: null };
          },
          async (error: unknown) => {
            const known = error instanceof LivoraError ? error : null;
            await update({
              status: 'failed',
              error: JSON.stringify({
                code: known?.code ?? 'LIVORA_INTERNAL',
                message: known?.message ?? 'the change failed: nothing was applied',
              }),
              finished_at: new Date(),
            });
            return { error };
          },
        );
      // The job says it is alive while its transaction runs, whatever one statement takes.
      const heartbeat = setInterval(() => void update({ heartbeat_at: new Date() }), HEARTBEAT_EVERY_MS);
      void outcome.finally(() => clearInterval(heartbeat));
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        outcome,
        new Promise<'later'>((resolve) => {
          timer = setTimeout(() => resolve('later'), options.answerWithinMs);
        }),
      ]);
      clearTimeout(timer);
      if (waited !== 'later' && waited.error) throw waited.error;
      const row = await read(user.tenantId, id);
      if (!row) throw new Error(`job ${id} vanished`);
      return { job: view(row), finished: waited !== 'later' };
    },

    /** A job, for whoever asked for it, and for admins and managers. */
    async get(principal: Principal, id: string): Promise<BulkJob> {
      const user = crmUser(principal);
      const row = await read(user.tenantId, id);
      if (!row || (row.requested_by !== user.subject && user.role !== 'admin' && user.role !== 'manager'))
        throw new LivoraError('LIVORA_CRM_NOT_FOUND', 'no job with this id');
      return view(row);
    },
  };
}

export type BulkJobs = ReturnType<typeof createBulkJobs>;

function view(row: {
  id: string;
  action: string;
  status: 'running' | 'succeeded' | 'failed';
  total: number | null;
  done: number;
  result: unknown;
  error: unknown;
  created_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
}): BulkJob {
  const stopped = row.status === 'running' && Date.now() - row.heartbeat_at.getTime() > HEARTBEAT_LIMIT_MS;
  return {
    id: row.id,
    action: row.action,
    status: stopped ? 'interrupted' : row.status,
    total: row.total,
    done: row.done,
    result: (row.result as BulkJob['result']) ?? null,
    error: (row.error as BulkJob['error']) ?? null,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
