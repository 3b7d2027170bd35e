import { type Kysely, sql } from 'kysely';
import { byUser, recordAudit } from '../../audit/audit-log.ts';
import type { Principal } from '../../auth/roles.ts';
import type { Tables } from '../../db/tables.ts';
import type { TenantDatabase } from '../../db/tenant-database.ts';
import { LivoraError } from '../../errors.ts';
import { uuidV7 } from '../../events/uuid-v7.ts';
import { crmUser } from '../crm-permissions.ts';
import type { CrmRecord, RecordService } from '../record-service.ts';
import { stageOf } from './deal-stages.ts';

export interface Pipeline {
  readonly id: string;
  readonly name: string;
  readonly stages: { id: string; name: string; position: number; probability: number }[];
}

/**
 * Pipelines and the deals board: pipelines with ordered stages; moving a deal to a place
 * in a stage (between two others: its position is halfway between theirs); winning and
 * losing (with a reason). Moves and outcomes are changes of the deal like any other:
 * versioned, checked against who may change it, and audited.
 */
export function createDealBoard(tenantDb: TenantDatabase, deals: RecordService) {
  async function pipelinesOf(tx: Kysely<Tables>, tenantId: string, id?: string): Promise<Pipeline[]> {
    let query = tx.selectFrom('pipelines').selectAll().where('tenant_id', '=', tenantId).orderBy('name');
    if (id) query = query.where('id', '=', id);
    const pipelines = await query.execute();
    if (pipelines.length === 0) return [];
    const stages = await tx
      .selectFrom('stages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(
        'pipeline_id',
        'in',
        pipelines.map((p) => p.id),
      )
      .orderBy('position')
      .execute();
    return pipelines.map((p) => ({
      id: p.id,
      name: p.name,
      stages: stages
        .filter((s) => s.pipeline_id === p.id)
        .map((s) => ({ id: s.id, name: s.name, position: s.position, probability: Number(s.probability) })),
    }));
  }

  return {
    async createPipeline(
      principal: Principal,
      input: { name: string; stages: { name: string; probability?: number }[] },
      requestId?: string,
    ): Promise<Pipeline> {
      const user = crmUser(principal);
      return tenantDb.transaction(user.tenantId, async (tx) => {
        const id = uuidV7();
        const exists = await tx
          .insertInto('pipelines')
          .values({ id, tenant_id: user.tenantId, name: input.name })
          .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!exists) throw new LivoraError('LIVORA_CRM_DUPLICATE', `a pipeline is named "${input.name}"`);
        await tx
          .insertInto('stages')
          .values(
            input.stages.map((stage, i) => ({
              id: uuidV7(),
              tenant_id: user.tenantId,
              pipeline_id: id,
              name: stage.name,
              position: i + 1,
              probability: stage.probability ?? 0,
            })),
          )
          .execute();
        const [pipeline] = await pipelinesOf(tx, user.tenantId, id);
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: 'pipeline.created',
          entity: 'pipeline',
          entityId: id,
          after: pipeline,
        });
        return pipeline as Pipeline;
      });
    },

    async pipelines(principal: Principal): Promise<Pipeline[]> {
      const user = crmUser(principal);
      return tenantDb.read(user.tenantId, (tx) => pipelinesOf(tx, user.tenantId));
    },

    /** The open deals of each stage the user may see, in board order (up to `perStage` a stage). */
    async board(
      principal: Principal,
      pipelineId: string,
      perStage: number,
    ): Promise<{ pipeline: Pipeline; stages: { stageId: string; deals: CrmRecord[]; open: number }[] }> {
      const user = crmUser(principal);
      const pipeline = (await tenantDb.read(user.tenantId, (tx) => pipelinesOf(tx, user.tenantId, pipelineId)))[0];
      if (!pipeline) throw new LivoraError('LIVORA_CRM_NOT_FOUND', `no pipeline ${pipelineId}`);
      const stages = [];
      for (const stage of pipeline.stages) {
        const page = await deals.list(principal, {
          stageId: stage.id,
          status: 'open',
          sort: 'position',
          direction: 'asc',
          limit: perStage,
        });
        stages.push({ stageId: stage.id, deals: page.records, open: page.records.length });
      }
      return { pipeline, stages };
    },

    /** Puts the deal in `stageId` right after `afterId` (first when null). */
    move(
      principal: Principal,
      dealId: string,
      version: number,
      target: { stageId: string; afterId: string | null },
      requestId?: string,
    ): Promise<CrmRecord> {
      return deals.change(principal, dealId, version, 'deal.moved', requestId, async (tx, user, current) => {
        if (current.status !== 'open') throw new LivoraError('LIVORA_CRM_CLOSED', `the deal is ${current.status}`);
        const stageId = await stageOf(tx, user.tenantId, current.pipeline_id as string, target.stageId);
        const place = () => placeAfter(tx, user.tenantId, stageId, dealId, target.afterId);
        let position = await place();
        // Halving the same gap about 50 times leaves no number between two neighbours:
        // the stage is numbered 1, 2, 3… again (its order kept), and there is room once more.
        if (position === null) {
          await sql`
            UPDATE deals AS d SET position = r.n
            FROM (SELECT id, row_number() OVER (ORDER BY position, id) AS n FROM deals
                  WHERE tenant_id = ${user.tenantId} AND stage_id = ${stageId} AND id <> ${dealId}) AS r
            WHERE d.tenant_id = ${user.tenantId} AND d.id = r.id`.execute(tx);
          position = (await place()) as number;
        }
        return { stage_id: stageId, position };
      });
    },

    /** Wins or loses the deal (a loss needs its reason). */
    close(
      principal: Principal,
      dealId: string,
      version: number,
      outcome: { status: 'won' } | { status: 'lost'; reason: string },
      requestId?: string,
    ): Promise<CrmRecord> {
      return deals.change(
        principal,
        dealId,
        version,
        `deal.${outcome.status}`,
        requestId,
        async (_tx, _user, current) => {
          if (current.status !== 'open') throw new LivoraError('LIVORA_CRM_CLOSED', `the deal is ${current.status}`);
          return {
            status: outcome.status,
            lost_reason: outcome.status === 'lost' ? outcome.reason : null,
            closed_at: new Date().toISOString(),
          };
        },
      );
    },
  };
}

export type DealBoard = ReturnType<typeof createDealBoard>;

/**
 * The position right after `afterId` in the stage (first when null), halfway to the next
 * deal; null when no number is left between the two.
 */
async function placeAfter(
  tx: Kysely<Tables>,
  tenantId: string,
  stageId: string,
  dealId: string,
  afterId: string | null,
): Promise<number | null> {
  const others = sql`tenant_id = ${tenantId} AND stage_id = ${stageId} AND id <> ${dealId}`;
  if (afterId === null) {
    const { rows } = await sql<{
      first: number | null;
    }>`SELECT min(position) AS first FROM deals WHERE ${others}`.execute(tx);
    const first = rows[0]?.first;
    return first === null || first === undefined ? 1 : first - 1;
  }
  const { rows } = await sql<{ after: number; next: number | null }>`
    SELECT a.position AS after,
           (SELECT min(position) FROM deals WHERE ${others} AND position > a.position) AS next
    FROM deals AS a WHERE a.tenant_id = ${tenantId} AND a.id = ${afterId} AND a.stage_id = ${stageId}`.execute(tx);
  const row = rows[0];
  if (!row || afterId === dealId)
    throw new LivoraError('LIVORA_CRM_INVALID', `deal ${afterId} is not another deal of that stage`);
  if (row.next === null) return row.after + 1;
  const middle = (row.after + row.next) / 2;
  return middle > row.after && middle < row.next ? middle : null;
}
