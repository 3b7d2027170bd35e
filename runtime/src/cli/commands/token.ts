import { type Command, InvalidArgumentError } from 'commander';
import { mintLocalToken } from '../../auth/local-tokens.ts';
import { isRole, ROLES, type Role } from '../../auth/roles.ts';
import { withLocalSecrets } from '../context.ts';
import { print } from '../output.ts';
import { positiveInteger } from './parse.ts';

export function tokenCommand(program: Command, json: () => boolean): void {
  program
    .command('token')
    .description('Mint a local JWT (HS256) for scripts and tests')
    .requiredOption('--tenant <id>', 'tenant the token acts for')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, (value: string): Role => {
      if (!isRole(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
      return value;
    })
    .option('--subject <sub>', 'who the token is for')
    .option('--ttl <seconds>', 'lifetime in seconds', positiveInteger, 3600)
    .action((options: { tenant: string; role: Role; subject?: string; ttl: number }) =>
      withLocalSecrets(async (config, secrets) => {
        const token = mintLocalToken(config.auth.jwtSecret ?? secrets.jwtSecret, {
          tenant: options.tenant,
          role: options.role,
          ...(options.subject ? { subject: options.subject } : {}),
          expiresInSeconds: options.ttl,
        });
        const expiresAt = new Date(Date.now() + options.ttl * 1000).toISOString();
        print(json(), { token, tenant: options.tenant, role: options.role, expires_at: expiresAt }, () => token);
      }),
    );
}
