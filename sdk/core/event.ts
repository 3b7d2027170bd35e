/** The calls of the Segment Spec, as Livora's canonical events name them. */
export type EventType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

export type Properties = Record<string, unknown>;

/** An event as the SDK sends it to `/v1/events` (snake_case, like the API). */
export interface LivoraEvent {
  type: EventType;
  /** Made here: a retry of the same event never counts twice on the server. */
  event_id: string;
  timestamp: string;
  anonymous_id?: string;
  user_id?: string;
  session_id?: string;
  event?: string;
  name?: string;
  category?: string;
  properties?: Properties;
  traits?: Properties;
  group_id?: string;
  previous_id?: string;
  context: Properties;
}

/** Why events left the queue without being accepted (reported to `onDropped`). */
export type DropReason = 'rejected' | 'evicted' | 'retries-exhausted';

export interface Dropped {
  readonly events: readonly LivoraEvent[];
  readonly reason: DropReason;
  /** The API's code and message, for rejected events. */
  readonly detail?: string;
}

export const LIBRARY = { name: '@livora/sdk', version: '0.1.0' } as const;

/** A new event of `type`, made now, with its own id and the library in its context. */
export function newEvent(
  type: EventType,
  fields: Omit<Partial<LivoraEvent>, 'type' | 'context'> & { context?: Properties },
  makeId: () => string,
): LivoraEvent {
  const { context, ...rest } = fields;
  return {
    type,
    event_id: makeId(),
    timestamp: new Date().toISOString(),
    ...rest,
    context: { ...context, library: LIBRARY },
  };
}

const encoder = new TextEncoder();

/** Bytes of `text` as UTF-8: what request limits count (characters would undercount). */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
