import type { SynthesizedResource } from '../synthesize.ts';

/** One resource's estimated monthly cost, and how it was reckoned. */
export interface CostLine {
  readonly address: string;
  readonly type: string;
  readonly monthly: number;
  readonly basis: string;
}

/**
 * The lines a cloud's pricing adds to, and the refusal of a resource type it has no rule
 * for: a new type needs a price rule or a place on the cloud's free list, not silence.
 */
export function pricer(freeTypes: ReadonlySet<string>, cloud: string) {
  const lines: CostLine[] = [];
  return {
    lines,
    add(r: SynthesizedResource, monthly: number, basis: string) {
      lines.push({ address: `${r.stack}/${r.type}.${r.id}`, type: r.type, monthly, basis });
    },
    free(r: SynthesizedResource) {
      if (!freeTypes.has(r.type))
        throw new Error(`no price rule for ${r.type}: add one (or list it as free) in the ${cloud} cost rules`);
    },
  };
}

/** The resource of `type` an attribute refers to (`${type.id.attr}`), if any. */
export function referencedBy(
  resources: readonly SynthesizedResource[],
  value: unknown,
  type: string,
): SynthesizedResource | undefined {
  const match = new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(String(value));
  return match ? resources.find((r) => r.type === type && r.id === match[1]) : undefined;
}
