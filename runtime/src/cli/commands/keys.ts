import type { Command } from 'commander';
import { withServices } from '../context.ts';
import { print, table } from '../output.ts';
import { positiveInteger } from './parse.ts';

export function keyCommands(program: Command, json: () => boolean): void {
  const keys = program
    .command('keys')
    .description('Write keys: how sources authenticate (HTTP Basic, the key as user name)');
  keys
    .command('create')
    .description('Create a write key (shown once)')
    .requiredOption('--tenant <id>', 'tenant of the key')
    .option('--name <name>', 'what the key is for', 'default')
    .option('--rate <events/s>', 'sustained events per second for this key', positiveInteger)
    .option('--burst <events>', 'burst for this key, in events (at least 100)', positiveInteger)
    .action((options: { tenant: string; name: string; rate?: number; burst?: number }) =>
      withServices(async ({ config, services }) => {
        const { key, writeKey } = await services.keys.create(options.tenant, options.name, {
          ...(options.rate !== undefined ? { ratePerSecond: options.rate } : {}),
          ...(options.burst !== undefined ? { burst: options.burst } : {}),
        });
        const url = `http://${config.server.host}:${config.server.port}`;
        print(json(), { key, ...writeKey }, () =>
          [
            `Created write key ${writeKey.id} for tenant ${writeKey.tenantId}. Keep it now: it is not shown again.`,
            '',
            `  ${key}`,
            '',
            'Try it:',
            `  curl -u '${key}:' -H 'content-type: application/json' ${url}/v1/events \\`,
            `    -d '{"events":[{"type":"track","event":"Signed Up","anonymous_id":"a-1"}]}'`,
          ].join('\n'),
        );
      }),
    );
  keys
    .command('list')
    .description('List the write keys of a tenant')
    .requiredOption('--tenant <id>', 'tenant')
    .action((options: { tenant: string }) =>
      withServices(async ({ services }) => {
        const all = await services.keys.list(options.tenant);
        print(json(), all, () =>
          table([
            ['ID', 'NAME', 'KEY', 'RATE', 'BURST', 'STATUS'],
            ...all.map((k) => [
              k.id,
              k.name,
              `${k.prefix}…`,
              String(k.ratePerSecond ?? 'default'),
              String(k.burst ?? 'default'),
              k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active',
            ]),
          ]),
        );
      }),
    );
  keys
    .command('revoke')
    .description('Revoke a write key (takes effect at once in every API process)')
    .argument('<id>', 'key id (key_…)')
    .action((id: string) =>
      withServices(async ({ services }) => {
        const revoked = await services.keys.revoke(id);
        print(json(), revoked, () => `Revoked ${revoked.id} (${revoked.prefix}…) of tenant ${revoked.tenantId}`);
      }),
    );
}
