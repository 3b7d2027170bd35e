import pg from 'pg';

/** A change to a table (`write_keys`, `event_schemas`) of one tenant; `null` tenant means "assume everything changed". */
export type ChangeHandler = (table: string, tenantId: string | null) => void;

export interface ChangeListener {
  subscribe(handler: ChangeHandler): void;
  close(): Promise<void>;
}

/**
 * Follows NOTIFY on `livora_changes` (sent by triggers, whoever changed the row: this
 * process, the CLI, another API process) so in-process caches drop stale entries at once.
 * While disconnected it reconnects, and reports "everything changed" once back.
 */
export function listenForChanges(url: string, onError: (error: Error) => void): ChangeListener {
  const handlers: ChangeHandler[] = [];
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const emit = (table: string, tenant: string | null) => {
    for (const handler of handlers) handler(table, tenant);
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      const [table, tenant] = (message.payload ?? '').split(':');
      emit(table ?? '', tenant ?? null);
    });
    next.on('error', (error) => {
      onError(error);
      reconnect(next);
    });
    next.on('end', () => reconnect(next));
    try {
      await next.connect();
      await next.query('LISTEN livora_changes');
      client = next;
      emit('*', null);
    } catch (error) {
      onError(error as Error);
      reconnect(next);
    }
  }

  function reconnect(stale: pg.Client): void {
    if (closed || retry || (client !== null && client !== stale)) return;
    client = null;
    stale.end().catch(() => undefined);
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1000);
  }

  void connect();
  return {
    subscribe(handler) {
      handlers.push(handler);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
