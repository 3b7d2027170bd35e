import { type Kysely, sql } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { LivoraError } from '../../errors.ts';

/** The stage, checked to be one of the pipeline's (the pipeline's first when none is named). */
export async function stageOf(
  tx: Kysely<Tables>,
  tenantId: string,
  pipelineId: string,
  stageId: string | null,
): Promise<string> {
  let query = tx
    .selectFrom('stages')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('pipeline_id', '=', pipelineId)
    .orderBy('position')
    .limit(1);
  if (stageId) query = query.where('id', '=', stageId);
  const stage = await query.executeTakeFirst();
  if (!stage)
    throw new LivoraError(
      'LIVORA_CRM_UNKNOWN_STAGE',
      stageId ? `stage ${stageId} is not a stage of pipeline ${pipelineId}` : `pipeline ${pipelineId} does not exist`,
    );
  return stage.id;
}

/** A position after every deal of the stage (deals join a stage at its end). */
export async function endOfStage(tx: Kysely<Tables>, tenantId: string, stageId: string): Promise<number> {
  const { rows } = await sql<{ last: number | null }>`
    SELECT max(position) AS last FROM deals WHERE tenant_id = ${tenantId} AND stage_id = ${stageId}`.execute(tx);
  return (rows[0]?.last ?? 0) + 1;
}

/**
 * A deal's pipeline and stage as they will be: the stage must be one of the pipeline's, and
 * a deal entering a stage goes to its end.
 */
export async function prepareDeal(
  tx: Kysely<Tables>,
  tenantId: string,
  values: Record<string, unknown>,
  current: Record<string, unknown> | null,
): Promise<void> {
  const entering = current === null || 'pipeline_id' in values || 'stage_id' in values;
  if (!entering) return;
  const pipelineId = (values.pipeline_id ?? current?.pipeline_id) as string;
  const named = 'stage_id' in values ? (values.stage_id as string | null) : null;
  const stageId = await stageOf(tx, tenantId, pipelineId, named);
  values.stage_id = stageId;
  if (stageId !== current?.stage_id) values.position = await endOfStage(tx, tenantId, stageId);
}
