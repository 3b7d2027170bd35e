import type { StoredEvent } from '../events/canonical-event.ts';
import type { Tx } from './state.ts';

/** What the steps add to a stored event; the lake's columns beyond the event's own. */
export interface Derived {
  person_id?: string;
  session_id?: string;
  geo_country?: string;
  geo_region?: string;
  geo_city?: string;
  geo_latitude?: number;
  geo_longitude?: number;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  /** The channel of this event's own context (direct when it carries no campaign or referrer). */
  channel?: string;
  /** The channel its session came in by: what attribution reports use. */
  session_channel?: string;
  referrer_host?: string;
  page_url?: string;
  page_path?: string;
  ua_browser?: string;
  ua_browser_version?: string;
  ua_os?: string;
  ua_os_version?: string;
  ua_device_type?: string;
}

/** An event in the pipeline: where it is in the log, the event, and what steps derived. */
export interface PipelineEvent {
  readonly partition: string;
  readonly offset: string;
  readonly event: StoredEvent;
  readonly derived: Derived;
  /** Set by the dedupe step when a replay finds the event already processed: reuse, do not re-apply. */
  replayOf?: { person_id: string | null; session_id: string | null };
  /** Set by the session step on the event that opened a new session. */
  opensSession?: boolean;
}

/**
 * A step's verdict on one event. `drop`: on purpose, not an error (a duplicate).
 * `dlq`: the step cannot process it; it goes to the dead-letter table with the error.
 */
export type StepOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'dlq'; readonly error: string };

export const OK: StepOutcome = Object.freeze({ kind: 'ok' });

/**
 * A pipeline step, made by a `createXStep(deps)` factory. It sees a partition's batch in
 * log order (state-changing steps need the order) and answers one outcome per event;
 * later steps only see the events earlier ones kept.
 */
export interface Step {
  readonly name: string;
  run(events: readonly PipelineEvent[], context: StepContext): Promise<StepOutcome[]>;
}

/** The batch's state transaction: every step's reads and writes commit together, or none. */
export interface StepContext {
  readonly tx: Tx;
  /** Person merges the batch made (identity step), in order; run after every step has written. */
  readonly merges: { tenantId: string; from: string; to: string }[];
  /** The partition's committed checkpoint when the batch was read (null: none yet). */
  readonly checkpoint: string | null;
}
