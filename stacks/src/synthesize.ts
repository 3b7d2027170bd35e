import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Deployment } from '@livora/providers';
import { App, TerraformResource, type TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { buildLivora, type StackName } from './livora.ts';
import { platformFor } from './main.ts';

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** One stack's synthesized Terraform JSON, and the resources that take tags (found on the constructs). */
export interface SynthesizedStack {
  readonly name: StackName;
  readonly json: {
    resource?: Blocks;
    data?: Blocks;
    provider?: Record<string, Record<string, unknown>[]>;
    variable?: Record<string, Record<string, unknown>>;
    terraform?: Record<string, unknown>;
  };
  /** `type.logicalId` of every resource whose construct has a tags (or labels) attribute. */
  readonly taggable: ReadonlySet<string>;
}

/** A resource of a synthesized deployment: its stack, type, logical id and attributes. */
export interface SynthesizedResource {
  readonly stack: StackName;
  readonly type: string;
  readonly id: string;
  readonly attributes: Record<string, unknown>;
}

/** Synthesizes every stack of `deployment` as `cdktf synth` does (to a temporary folder), and reads them back. */
export function synthesize(deployment: Deployment): SynthesizedStack[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'livora-synth-'));
  try {
    const app = new App({ outdir });
    const stacks = buildLivora(app, deployment, platformFor(deployment));
    app.synth();
    return [...stacks].map(([name, stack]) => ({
      name,
      json: JSON.parse(readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')),
      taggable: taggableIn(stack),
    }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every resource of the stacks. */
export function resourcesOf(stacks: readonly SynthesizedStack[]): SynthesizedResource[] {
  return stacks.flatMap((stack) =>
    Object.entries(stack.json.resource ?? {}).flatMap(([type, byId]) =>
      Object.entries(byId).map(([id, attributes]) => ({ stack: stack.name, type, id, attributes })),
    ),
  );
}

function taggableIn(stack: TerraformStack): Set<string> {
  const found = new Set<string>();
  const walk = (node: IConstruct) => {
    if (node instanceof TerraformResource && ('tagsInput' in node || 'labelsInput' in node))
      found.add(`${node.terraformResourceType}.${stack.getLogicalId(node)}`);
    for (const child of node.node.children) walk(child);
  };
  walk(stack);
  return found;
}
