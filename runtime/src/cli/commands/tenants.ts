import type { Command } from 'commander';
import { withServices } from '../context.ts';
import { print, table } from '../output.ts';

export function tenantCommands(program: Command, json: () => boolean): void {
  const tenants = program.command('tenants').description('Tenants: the unit of isolation');
  tenants
    .command('create')
    .description('Create a tenant')
    .argument('<id>', 'tenant id: 2–63 lowercase letters, digits, hyphens')
    .option('--name <name>', 'display name')
    .action((id: string, options: { name?: string }) =>
      withServices(async ({ services }) => {
        const tenant = await services.tenants.create(id, options.name ?? id);
        print(json(), tenant, () => `Created tenant ${tenant.id} (${tenant.name})`);
      }),
    );
  tenants
    .command('list')
    .description('List tenants')
    .action(() =>
      withServices(async ({ services }) => {
        const all = await services.tenants.list();
        print(json(), all, () =>
          all.length === 0
            ? 'No tenants yet: livora tenants create <id>'
            : table([['ID', 'NAME', 'CREATED'], ...all.map((t) => [t.id, t.name, t.createdAt.toISOString()])]),
        );
      }),
    );
}
