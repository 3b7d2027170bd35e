import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { ROLES } from '../../auth/roles.ts';
import { withServices } from '../context.ts';
import { print, table } from '../output.ts';

/** `livora users`: the console's built-in accounts (the first admin starts here). */
export function userCommands(program: Command, json: () => boolean): void {
  const users = program.command('users').description('Console users: built-in accounts that log in at /v1/auth/login');
  users
    .command('create')
    .description('Create a user; the password comes from LIVORA_NEW_USER_PASSWORD, or one is generated and shown once')
    .requiredOption('--tenant <id>', 'tenant of the user')
    .requiredOption('--email <email>', 'email: the login name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'display name (the email when unset)')
    .option('--team <team>', 'sales team (sales see their team’s deals)')
    .action((options: { tenant: string; email: string; role: string; name?: string; team?: string }) =>
      withServices(async ({ services }) => {
        const given = process.env.LIVORA_NEW_USER_PASSWORD;
        const password = given || randomBytes(18).toString('base64url');
        const user = await services.users.create(
          {
            tenantId: options.tenant,
            email: options.email,
            role: options.role,
            password,
            ...(options.name ? { name: options.name } : {}),
            ...(options.team ? { team: options.team } : {}),
          },
          { actor: 'cli' },
        );
        print(json(), { ...user, ...(given ? {} : { password }) }, () =>
          [
            `Created ${user.role} ${user.email} in tenant ${user.tenantId}.`,
            ...(given ? [] : ['', 'Password (shown once; change it after the first login):', '', `  ${password}`]),
          ].join('\n'),
        );
      }),
    );
  users
    .command('list')
    .description('List the users of a tenant')
    .requiredOption('--tenant <id>', 'tenant')
    .action((options: { tenant: string }) =>
      withServices(async ({ services }) => {
        const all = await services.users.list(options.tenant);
        print(json(), all, () =>
          table([
            ['EMAIL', 'NAME', 'ROLE', 'CREATED'],
            ...all.map((u) => [u.email, u.name, u.role, u.createdAt.toISOString()]),
          ]),
        );
      }),
    );
}
