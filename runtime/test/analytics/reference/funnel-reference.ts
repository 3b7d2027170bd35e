import type { FunnelSeries } from '../../../src/analytics/funnel/funnel-result.ts';
import type { FunnelSpec, FunnelStep } from '../../../src/analytics/funnel/funnel-spec.ts';
import type { CuratedEvent, CuratedPerson } from '../support/curated-events.ts';
import { matchesEvent, propertyText } from './event-match-reference.ts';

/** What the reference finds per breakdown value: people per step, and medians between steps. */
export interface ReferenceFunnel {
  readonly breakdown: string | null;
  readonly persons: number[];
  /** Index k: median seconds from step k to step k + 1 (null where nobody got that far, or `any`). */
  readonly medianSeconds: (number | null)[];
}

/**
 * The funnel by brute force, from the definition, with no SQL in mind: for each person,
 * every attempt is walked event by event and the best one kept.
 */
export function referenceFunnel(
  events: readonly CuratedEvent[],
  spec: FunnelSpec,
  persons: readonly CuratedPerson[] = [],
): ReferenceFunnel[] {
  const personOf = new Map(persons.filter((p) => p.tenant_id === spec.tenantId).map((p) => [p.person_id, p]));
  const windowMs = spec.windowSeconds * 1000;
  const from = spec.from.getTime();
  const to = spec.to.getTime();
  const byPerson = new Map<string, CuratedEvent[]>();
  for (const e of events) {
    const at = e.timestamp.getTime();
    if (e.tenant_id !== spec.tenantId || at < from || at > to + windowMs) continue;
    if (spec.persons && !spec.persons.includes(e.person_id)) continue;
    if (spec.cohort) {
      const firstSeen = personOf.get(e.person_id)?.first_seen.getTime();
      if (
        firstSeen === undefined ||
        firstSeen < spec.cohort.firstSeenFrom.getTime() ||
        firstSeen >= spec.cohort.firstSeenTo.getTime()
      )
        continue;
    }
    const list = byPerson.get(e.person_id) ?? [];
    list.push(e);
    byPerson.set(e.person_id, list);
  }
  const best: { breakdown: string | null; reached: number; times: number[] }[] = [];
  for (const all of byPerson.values()) {
    all.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || (a.event_id < b.event_id ? -1 : 1));
    const seen = spec.order === 'strict' ? all : all.filter((e) => spec.steps.some((s) => matchesEvent(e, s)));
    let pick: { breakdown: string | null; reached: number; times: number[]; start: number } | null = null;
    for (let i = 0; i < seen.length; i++) {
      const anchor = seen[i] as CuratedEvent;
      const start = anchor.timestamp.getTime();
      if (start < from || start >= to) continue;
      let attempt: { reached: number; times: number[] } | null;
      if (spec.order === 'any') {
        const met = new Set<number>();
        for (const e of seen.slice(i)) {
          if (e.timestamp.getTime() > start + windowMs) continue;
          spec.steps.forEach((s, k) => {
            if (matchesEvent(e, s)) met.add(k);
          });
        }
        attempt = met.size > 0 ? { reached: met.size, times: [] } : null;
      } else {
        if (!matchesEvent(anchor, spec.steps[0] as FunnelStep)) continue;
        const times = [start];
        let at = i;
        for (let k = 1; k < spec.steps.length; k++) {
          let next = -1;
          for (let j = at + 1; j < seen.length; j++) {
            const e = seen[j] as CuratedEvent;
            if (e.timestamp.getTime() > start + windowMs) break;
            if (matchesEvent(e, spec.steps[k] as FunnelStep)) {
              next = j;
              break;
            }
            if (spec.order === 'strict') break; // another event came between
          }
          if (next < 0) break;
          at = next;
          times.push((seen[next] as CuratedEvent).timestamp.getTime());
        }
        attempt = { reached: times.length, times };
      }
      // Most steps, then the earliest start (attempts come in start order).
      if (attempt && (!pick || attempt.reached > pick.reached)) {
        const breakdown = !spec.breakdown
          ? null
          : spec.breakdown.of === 'person'
            ? traitText(personOf.get(anchor.person_id), spec.breakdown.property)
            : propertyText(anchor, spec.breakdown.property);
        pick = { ...attempt, start, breakdown };
      }
    }
    if (pick) best.push(pick);
  }

  const groups = new Map<string | null, typeof best>();
  for (const b of best) groups.set(b.breakdown, [...(groups.get(b.breakdown) ?? []), b]);
  return [...groups].map(([breakdown, people]) => ({
    breakdown,
    persons: spec.steps.map((_, k) => people.filter((p) => p.reached > k).length),
    medianSeconds: spec.steps.slice(1).map((_, k) => {
      if (spec.order === 'any') return null;
      const gaps = people
        .filter((p) => p.reached > k + 1)
        .map((p) => ((p.times[k + 1] as number) - (p.times[k] as number)) / 1000);
      return median(gaps);
    }),
  }));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function traitText(person: CuratedPerson | undefined, name: string): string | null {
  const value = person?.traits[name];
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The API's funnels in the reference's shape. */
export function asReference(series: readonly FunnelSeries[]): ReferenceFunnel[] {
  return series.map((s) => ({
    breakdown: s.breakdown,
    persons: s.steps.map((step) => step.persons),
    medianSeconds: s.steps.slice(1).map((step) => step.medianSecondsFromPrevious),
  }));
}

/** Funnels in one order (by breakdown value), so that two answers compare. */
export function byBreakdown(series: readonly ReferenceFunnel[]): ReferenceFunnel[] {
  return [...series].sort((a, b) => String(a.breakdown).localeCompare(String(b.breakdown)));
}
