import type { Command } from 'commander';
import { listSettings, loadConfig } from '../../config/load.ts';
import { print, table } from '../output.ts';

export function configCommand(program: Command, json: () => boolean): void {
  program
    .command('config')
    .description('Every setting: its variable, current value and meaning (secrets hidden)')
    .action(() => {
      const config = loadConfig();
      const rows = listSettings().map((s) => {
        let value: unknown = config;
        for (const key of s.path) value = (value as Record<string, unknown> | undefined)?.[key];
        const secret = s.schema.secret === true && value !== undefined;
        return { variable: s.env, value: secret ? '(set)' : (value ?? null), description: s.schema.description ?? '' };
      });
      print(json(), rows, () =>
        table([
          ['VARIABLE', 'VALUE', 'MEANING'],
          ...rows.map((r) => [r.variable, String(r.value ?? '-'), r.description]),
        ]),
      );
    });
}
