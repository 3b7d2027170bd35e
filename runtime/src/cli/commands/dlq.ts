import { type Command, InvalidArgumentError } from 'commander';
import { openEventStream } from '../../main/stream.ts';
import { createDeadLetters } from '../../pipeline/dead-letters.ts';
import { withServices } from '../context.ts';
import { print, table } from '../output.ts';
import { positiveInteger } from './parse.ts';

export function deadLetterCommands(program: Command, json: () => boolean): void {
  const dlq = program.command('dlq').description('Events the pipeline could not process (see runbooks/dlq.md)');
  dlq
    .command('list')
    .description('Dead letters waiting for a replay')
    .option('--tenant <id>', 'only this tenant')
    .option('--all', 'include replayed letters')
    .option('--limit <n>', 'at most this many', positiveInteger, 100)
    .action((options: { tenant?: string; all?: boolean; limit: number }) =>
      withServices(async ({ config, database }) => {
        const letters = await createDeadLetters(database.db, await openEventStream(config, database.pool)).list({
          ...(options.tenant ? { tenantId: options.tenant } : {}),
          includeReplayed: options.all === true,
          limit: options.limit,
        });
        print(json(), letters, () =>
          letters.length === 0
            ? 'No dead letters.'
            : table([
                ['ID', 'TENANT', 'AT', 'STEP', 'ERROR', 'SINCE'],
                ...letters.map((l) => [
                  l.id,
                  l.tenantId ?? '-',
                  `${l.partition}/${l.offset}`,
                  l.step,
                  l.error.length > 60 ? `${l.error.slice(0, 59)}…` : l.error,
                  l.createdAt.toISOString(),
                ]),
              ]),
        );
      }),
    );
  dlq
    .command('replay')
    .description('Send dead letters through the pipeline again (after fixing what failed them)')
    .option('--id <id>', 'one letter', (value: string) => {
      if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a letter id (a number)');
      return value;
    })
    .option('--all', 'every letter not yet replayed')
    .action((options: { id?: string; all?: boolean }) =>
      withServices(async ({ config, database }) => {
        if (!options.id === !options.all) throw new InvalidArgumentError('give either --id <id> or --all');
        const stream = await openEventStream(config, database.pool);
        try {
          const letters = createDeadLetters(database.db, stream);
          const count = await letters.replay(options.id ? { id: options.id } : { all: true });
          print(
            json(),
            { replayed: count },
            () => `Sent ${count} event${count === 1 ? '' : 's'} back to the event log.`,
          );
        } finally {
          await stream.close();
        }
      }),
    );
}
