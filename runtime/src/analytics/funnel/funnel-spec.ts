import type { EventMatch } from '../event-match.ts';

/** A step: the events that complete it. */
export type FunnelStep = EventMatch;

/**
 * `ordered`: each step after the previous one (other events may come between);
 * `strict`: each step the person's very next event after the previous one;
 * `any`: every step within the window, in any order (no times between steps).
 */
export type FunnelOrder = 'ordered' | 'strict' | 'any';

export const MIN_FUNNEL_STEPS = 2;
export const MAX_FUNNEL_STEPS = 10;

/**
 * A funnel: people who did step 1 in [from, to) and how far they got within the window
 * after it, at the window's end inclusive. Each person counts once, with their best
 * attempt (most steps, then the earliest start); a breakdown takes the value of that
 * attempt's first event, or a trait of the person. A cohort keeps only the people first
 * seen in its range; `persons` (a segment's) only those people.
 */
export interface FunnelSpec {
  readonly tenantId: string;
  readonly steps: readonly FunnelStep[];
  readonly from: Date;
  readonly to: Date;
  readonly windowSeconds: number;
  readonly order: FunnelOrder;
  /** A property of the entry event (the default), or a trait of the person (`of: 'person'`). */
  readonly breakdown?: { readonly property: string; readonly of?: 'event' | 'person' };
  readonly cohort?: { readonly firstSeenFrom: Date; readonly firstSeenTo: Date };
  /** Only these people (a CRM segment's, resolved before the query): ids of letters, digits and hyphens. */
  readonly persons?: readonly string[];
}

/** Person ids a funnel's `persons` may hold: they are written into the SQL as literals. */
export const PERSON_ID = /^[A-Za-z0-9-]{1,64}$/;
