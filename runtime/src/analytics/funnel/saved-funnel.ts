import { createHash } from 'node:crypto';
import type { FunnelOrder, FunnelSpec, FunnelStep } from './funnel-spec.ts';

/**
 * What a saved funnel fixes: its steps, window, order and an entry-event breakdown. The
 * range, a cohort and a trait breakdown are chosen at each read.
 */
export interface SavedFunnelDefinition {
  readonly tenantId: string;
  readonly steps: readonly FunnelStep[];
  readonly windowSeconds: number;
  readonly order: FunnelOrder;
  readonly breakdown?: { readonly property: string; readonly of?: 'event' };
}

/** A saved funnel as the warehouse keeps it: rows under `key`, a digest of the definition. */
export interface SavedFunnel {
  readonly key: string;
  readonly definition: SavedFunnelDefinition;
}

const DAY_MS = 86_400_000;

/** The part of `spec` a saved funnel fixes, in one canonical form (equal funnels, equal keys). */
export function savedDefinitionOf(spec: FunnelSpec | SavedFunnelDefinition): SavedFunnelDefinition {
  return {
    tenantId: spec.tenantId,
    steps: spec.steps.map((step) => ({
      event: step.event,
      filters: (step.filters ?? [])
        .map((f) => ({ property: f.property, operator: f.operator, ...('value' in f ? { value: f.value } : {}) }))
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    })) as FunnelStep[],
    windowSeconds: spec.windowSeconds,
    order: spec.order,
    ...(spec.breakdown && spec.breakdown.of !== 'person'
      ? { breakdown: { property: spec.breakdown.property, of: 'event' as const } }
      : {}),
  };
}

export function savedFunnelOf(spec: FunnelSpec | SavedFunnelDefinition): SavedFunnel {
  const definition = savedDefinitionOf(spec);
  const key = createHash('sha256').update(JSON.stringify(definition)).digest('base64url').slice(0, 24);
  return { key, definition };
}

/** Whether a saved funnel's day rows can answer `spec`: its range is whole UTC days. */
export function readsWholeDays(spec: Pick<FunnelSpec, 'from' | 'to'>): boolean {
  return spec.from.getTime() % DAY_MS === 0 && spec.to.getTime() % DAY_MS === 0;
}

/** Days before a changed day whose entries can see it: the window, in whole days. */
export function daysReachedBack(definition: SavedFunnelDefinition): number {
  return Math.ceil((definition.windowSeconds * 1000) / DAY_MS);
}
