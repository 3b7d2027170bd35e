import { Compile } from 'typebox/compile';
import type { ErrorCode } from '../errors.ts';
import { type CanonicalEventInput, EVENT_TYPES, type EventType, INPUT_SCHEMAS } from './canonical-event.ts';

export type EventCheck =
  | { readonly ok: true; readonly event: CanonicalEventInput }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

const validators = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, Compile(INPUT_SCHEMAS[type])]),
) as unknown as Record<EventType, ReturnType<typeof Compile>>;
const TYPES = new Set<string>(EVENT_TYPES);

/** Checks one event against the canonical schema of its type (compiled once, at load). */
export function checkCanonicalEvent(raw: unknown): EventCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, code: 'LIVORA_EVENT_INVALID', message: 'an event must be a JSON object' };
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !TYPES.has(type)) {
    return {
      ok: false,
      code: 'LIVORA_EVENT_UNKNOWN_TYPE',
      message: `type must be one of ${EVENT_TYPES.join(', ')}; got ${JSON.stringify(type ?? null)}`,
    };
  }
  const validator = validators[type as EventType];
  if (!validator.Check(raw)) {
    return { ok: false, code: 'LIVORA_EVENT_INVALID', message: describeErrors(validator.Errors(raw)) };
  }
  const event = raw as CanonicalEventInput;
  if (event.user_id === undefined && event.anonymous_id === undefined) {
    return { ok: false, code: 'LIVORA_EVENT_IDENTITY_MISSING', message: 'user_id or anonymous_id is required' };
  }
  return { ok: true, event };
}

/** The first few validation errors as one readable line: `/properties: must be object`. */
export function describeErrors(
  errors: Iterable<{ instancePath: string; message: string; keyword: string; params?: unknown }>,
  limit = 3,
): string {
  const lines: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'boolean') continue; // repeated by the additionalProperties error that follows
    const where = error.instancePath || '/';
    const extra = additionalName(error);
    lines.push(`${where}: ${error.message}${extra}`);
    if (lines.length === limit) break;
  }
  return lines.join('; ') || 'does not match the schema';
}

function additionalName(error: { keyword: string; params?: unknown }): string {
  const names = (error.params as { additionalProperties?: unknown } | undefined)?.additionalProperties;
  return error.keyword === 'additionalProperties' && Array.isArray(names) ? ` (${names.join(', ')})` : '';
}
