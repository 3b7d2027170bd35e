/**
 * Maps Segment Spec messages (as sent by analytics.js, analytics-node, RudderStack SDKs…)
 * onto canonical events, so existing clients send to Livora unchanged. Unknown top-level
 * fields (channel, version, _metadata, writeKey…) are dropped; context keys become
 * snake_case; numeric ids become strings, as Segment's API does.
 */

import { snakeCaseKeys } from '../shared/snake-case.ts';

const ID_FIELDS: Readonly<Record<string, string>> = {
  messageId: 'event_id',
  userId: 'user_id',
  anonymousId: 'anonymous_id',
  groupId: 'group_id',
  previousId: 'previous_id',
};

const PASSED_FIELDS: Readonly<Record<string, string>> = {
  type: 'type',
  event: 'event',
  name: 'name',
  category: 'category',
  properties: 'properties',
  traits: 'traits',
  integrations: 'integrations',
  timestamp: 'timestamp',
  sentAt: 'sent_at',
};

export interface SegmentBatchDefaults {
  readonly context?: unknown;
  readonly integrations?: unknown;
  readonly sentAt?: unknown;
}

/** One Segment message → a canonical event (still to be checked). `type` comes from the endpoint when given. */
export function fromSegmentMessage(message: unknown, type?: string, defaults: SegmentBatchDefaults = {}): unknown {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return message;
  const source = message as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(ID_FIELDS)) {
    const value = source[from];
    if (value === undefined || value === null) continue;
    out[to] = typeof value === 'number' ? String(value) : value;
  }
  for (const [from, to] of Object.entries(PASSED_FIELDS)) {
    if (source[from] !== undefined && source[from] !== null) out[to] = source[from];
  }
  if (out.timestamp === undefined && source.originalTimestamp != null) out.timestamp = source.originalTimestamp;
  if (out.sent_at === undefined && defaults.sentAt != null) out.sent_at = defaults.sentAt;
  const context = mergeObjects(defaults.context, source.context);
  if (context !== undefined) out.context = snakeCaseKeys(context);
  const integrations = mergeObjects(defaults.integrations, out.integrations);
  if (integrations !== undefined) out.integrations = integrations;
  if (type !== undefined) out.type = type;
  return out;
}

function mergeObjects(base: unknown, own: unknown): unknown {
  if (!isPlainObject(base)) return own;
  if (!isPlainObject(own)) return own === undefined ? base : own;
  return { ...base, ...own };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
