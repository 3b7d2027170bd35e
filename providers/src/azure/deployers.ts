import { TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * The addresses (CIDR) Terraform runs from, let through the key vault's and the storage
 * accounts' firewalls (their data endpoints are otherwise closed): a variable of the
 * stack `scope` is in, declared once per stack.
 */
export function deployerIpRanges(scope: Construct): string[] {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild('deployer_ip_ranges') as TerraformVariable | undefined;
  const variable =
    existing ??
    new TerraformVariable(stack, 'deployer_ip_ranges', {
      type: 'list(string)',
      default: [],
      description: 'Addresses (CIDR) Terraform runs from: the key vault and storage firewalls let them in',
    });
  variable.overrideLogicalId('deployer_ip_ranges');
  return variable.listValue;
}
