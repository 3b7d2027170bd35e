import { Aspects, type IAspect, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { Deployment } from './deployment.ts';

/** The tags every taggable resource carries, as AWS and Azure write them. */
export function deploymentTags(deployment: Deployment, stack: string): Record<string, string> {
  return {
    'livora:client': deployment.client,
    'livora:env': deployment.env,
    'livora:pattern': deployment.pattern,
    'livora:stack': stack,
    'managed-by': 'cdktf',
  };
}

/** The same as GCP labels: lowercase keys and values of letters, digits, `_` and `-` (no `:`). */
export function deploymentLabels(deployment: Deployment, stack: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(deploymentTags(deployment, stack)).map(([key, value]) => [label(key), label(value)]),
  );
}

function label(text: string): string {
  return text.toLowerCase().replaceAll(/[^a-z0-9_-]/g, '_');
}

/**
 * Tags (or labels) every resource of the stack that takes them, beneath what a resource
 * sets itself: the tagging rule holds for resources added later without anyone
 * remembering it.
 */
export function tagEverything(stack: TerraformStack, attribute: 'tags' | 'labels', tags: Record<string, string>): void {
  stackTags.set(stack, tags);
  const aspect: IAspect = {
    visit(node: IConstruct) {
      if (!(node instanceof TerraformResource)) return;
      const taggable = node as unknown as Record<string, unknown>;
      const input = `${attribute}Input`;
      if (!(input in taggable)) return;
      const own = (taggable[input] as Record<string, string> | undefined) ?? {};
      taggable[attribute] = { ...tags, ...own };
    },
  };
  Aspects.of(stack).add(aspect);
}

const stackTags = new WeakMap<TerraformStack, Record<string, string>>();

/**
 * The tags (labels) of the stack `scope` is in, for the attributes the aspect cannot see:
 * those nested in a block (Cloud SQL's `settings.user_labels`).
 */
export function tagsOf(scope: IConstruct): Record<string, string> {
  return stackTags.get(TerraformStack.of(scope)) ?? {};
}
