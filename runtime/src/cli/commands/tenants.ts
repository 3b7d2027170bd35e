import { type Command, InvalidArgumentError } from 'commander';
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
    .command('set')
    .description('Change a tenant’s settings')
    .argument('<id>', 'tenant id')
    .requiredOption(
      '--truncate-ip <on|off>',
      'truncate IPs (v4 /24, v6 /48) after geo lookup, so the lake never holds them whole',
      (value: string) => {
        if (value !== 'on' && value !== 'off') throw new InvalidArgumentError('must be on or off');
        return value === 'on';
      },
    )
    .action((id: string, options: { truncateIp: boolean }) =>
      withServices(async ({ services }) => {
        await services.tenants.setTruncateIp(id, options.truncateIp);
        print(
          json(),
          { id, truncate_ip: options.truncateIp },
          () => `Tenant ${id}: IP truncation ${options.truncateIp ? 'on' : 'off'}`,
        );
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
