import { Client, Connection } from '@temporalio/client';
import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config/load.ts';
import type { LoadSummary } from '../../warehouse/lake-loader.ts';
import { print } from '../output.ts';

/** `livora warehouse refresh`: a load now, run by the engine's worker (it owns the warehouse). */
export function warehouseCommands(program: Command, json: () => boolean): void {
  const warehouse = program.command('warehouse').description('The analytics warehouse, loaded from the lake');
  warehouse
    .command('refresh')
    .description('Load the lake into the warehouse now (partitions whose files changed; all of them with --from)')
    .option('--from <day>', 'rebuild every partition from this day (YYYY-MM-DD) on', (value: string) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
        throw new InvalidArgumentError('must be a day, YYYY-MM-DD');
      return value;
    })
    .option('--all', 'rebuild every partition')
    .action(async (options: { from?: string; all?: boolean }) => {
      const config = loadConfig();
      const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
      const secure = config.temporal.apiKey
        ? { tls: true, apiKey: config.temporal.apiKey }
        : config.temporal.tls
          ? { tls: true }
          : {};
      const connection = await Connection.connect({ address, ...secure, connectTimeout: '5 seconds' }).catch(
        (error) => {
          throw new Error(`cannot reach Temporal at ${address} (is the engine running?): ${(error as Error).message}`);
        },
      );
      try {
        const client = new Client({ connection, namespace: config.temporal.namespace });
        const rebuild = Boolean(options.from || options.all);
        const summary: LoadSummary = await client.workflow.execute('warehouseLoad', {
          args: [{ v: 1, rebuild, ...(options.from ? { since: options.from } : {}) }],
          taskQueue: config.temporal.taskQueue,
          workflowId: `livora:warehouse-refresh:${new Date().toISOString()}`,
        });
        print(json(), summary, () =>
          [
            `Loaded ${summary.partitions.length} partition${summary.partitions.length === 1 ? '' : 's'} ` +
              `(${summary.events.toLocaleString('en')} events), ${summary.sessionFiles} session and ` +
              `${summary.profileFiles} profile snapshot files, in ${summary.seconds.toFixed(1)} s.`,
            ...summary.partitions.slice(0, 20).map((p) => `  ${p.tenantId} ${p.day}`),
            ...(summary.partitions.length > 20 ? [`  … and ${summary.partitions.length - 20} more`] : []),
          ].join('\n'),
        );
      } finally {
        await connection.close();
      }
    });
}
