import { createHash } from 'node:crypto';
import {
  type Cloud,
  type Deployment,
  deploymentLabels,
  deploymentTags,
  ENVIRONMENTS,
  PATTERNS,
} from '@livora/providers';
import { expect } from 'vitest';
import type { SynthesizedResource, SynthesizedStack } from '../src/synthesize.ts';

/** The longest client name allowed, used for prod: names must still fit every limit. */
const LONG_CLIENT = 'a-very-long-client-name-for-test';

/** Every environment × pattern of a cloud, prod with the longest client name. */
export function combinationsOf(cloud: Cloud, region: string): Deployment[] {
  return ENVIRONMENTS.flatMap((env) =>
    PATTERNS.map((pattern) => ({ client: env === 'prod' ? LONG_CLIENT : 'acme', cloud, env, pattern, region })),
  );
}

export const ofType = (resources: readonly SynthesizedResource[], type: string) =>
  resources.filter((r) => r.type === type);

export const attr = (r: SynthesizedResource | undefined, name: string) => r?.attributes[name];

/** Pattern A has every stack; B has no console (frontend) and no CRM. */
export function expectStacksOfPattern(stacks: readonly SynthesizedStack[], deployment: Deployment): void {
  expect(stacks.map((s) => s.name).sort()).toEqual(
    deployment.pattern === 'A'
      ? ['analytics', 'campaigns', 'core', 'crm', 'data', 'frontend']
      : ['analytics', 'campaigns', 'core', 'data'],
  );
}

/** Every resource that takes tags (AWS, Azure) or labels (GCP) carries the deployment's, naming its stack. */
export function expectEverythingTagged(
  stacks: readonly SynthesizedStack[],
  deployment: Deployment,
  attribute: 'tags' | 'labels',
): number {
  let checked = 0;
  for (const stack of stacks) {
    const wanted = (attribute === 'tags' ? deploymentTags : deploymentLabels)(deployment, stack.name);
    for (const address of stack.taggable) {
      const [type, id] = address.split('.') as [string, string];
      const found = stack.json.resource?.[type]?.[id]?.[attribute] as Record<string, string> | undefined;
      expect(found, address).toMatchObject(wanted);
      checked += 1;
    }
  }
  return checked;
}

/** Every resource, each with a digest of its settings: a snapshot shows what an unintended change touched. */
export function inventoryOf(resources: readonly SynthesizedResource[]): string[] {
  return resources
    .map((r) => {
      const { '//': _metadata, ...settings } = r.attributes;
      const digest = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 12);
      return `${r.stack} ${r.type}.${r.id} ${digest}`;
    })
    .sort();
}

/** Names within a cloud's limits: [type, attribute, longest, pattern]. */
export function expectNamesWithin(
  resources: readonly SynthesizedResource[],
  limits: readonly (readonly [string, string, number, RegExp?])[],
): void {
  for (const [type, field, max, pattern] of limits)
    for (const r of ofType(resources, type)) {
      const value = String(attr(r, field));
      expect(value.length, `${type}.${r.id}.${field} = ${value}`).toBeLessThanOrEqual(max);
      if (pattern) expect(value, `${type}.${r.id}.${field}`).toMatch(pattern);
    }
}
