import { TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * The addresses Terraform runs from (plain addresses or ranges of /30 and wider: storage
 * IP rules take no /31 or /32), let through the key vault's and the storage accounts'
 * firewalls (their data endpoints are otherwise closed): a variable of the stack `scope`
 * is in, declared once per stack. The deploy workflow sets its runner's address.
 */
export function deployerIpRanges(scope: Construct): string[] {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild('deployer_ip_ranges') as TerraformVariable | undefined;
  const variable =
    existing ??
    new TerraformVariable(stack, 'deployer_ip_ranges', {
      type: 'list(string)',
      default: [],
      description:
        'Addresses Terraform runs from (1.2.3.4, or a range of /30 or wider): the key vault and storage firewalls let them in',
    });
  variable.overrideLogicalId('deployer_ip_ranges');
  return variable.listValue;
}
