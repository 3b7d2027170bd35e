import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import type { Construct } from 'constructs';

/** One statement of an IAM policy. */
export interface Statement {
  readonly Effect?: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

/** A role `services` may assume, with one inline policy of `statements` (none: no policy). */
export function serviceRole(
  scope: Construct,
  id: string,
  name: string,
  services: readonly string[],
  statements: readonly Statement[],
): IamRole {
  const role = new IamRole(scope, id, {
    name,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: services }, Action: 'sts:AssumeRole' }],
    }),
  });
  if (statements.length > 0)
    new IamRolePolicy(scope, `${id}-policy`, {
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: statements.map((s) => ({ Effect: 'Allow', ...s })),
      }),
    });
  return role;
}
