import pg from 'pg';
import type { ChangeFeed, ChangeHandler } from '../ports/change-feed.ts';

const HEARTBEAT_MS = 30_000;

/**
 * LISTEN on a PostgreSQL channel whose NOTIFY payloads are `topic:key` (sent by triggers,
 * whoever changed the row: this process, a CLI command, another API process). While
 * disconnected it reconnects, then reports `*` ("everything may have changed") once back.
 * A heartbeat finds connections a NAT or load balancer dropped without a word.
 */
export function openPostgresChangeFeed(url: string, channel: string, onError: (error: Error) => void): ChangeFeed {
  const handlers: ChangeHandler[] = [];
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const emit = (topic: string, key: string | null) => {
    for (const handler of handlers) handler(topic, key);
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    next.on('notification', (message) => {
      const payload = message.payload ?? '';
      const at = payload.indexOf(':');
      emit(at === -1 ? payload : payload.slice(0, at), at === -1 ? null : payload.slice(at + 1));
    });
    next.on('error', (error) => {
      onError(error);
      reconnect(next);
    });
    next.on('end', () => reconnect(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) {
        await next.end();
        return;
      }
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

  const heartbeat = setInterval(() => {
    const current = client;
    current?.query('SELECT 1').catch((error: Error) => {
      onError(error);
      reconnect(current);
    });
  }, HEARTBEAT_MS);
  heartbeat.unref();

  void connect();
  return {
    subscribe(handler) {
      handlers.push(handler);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      await client?.end().catch(() => undefined);
    },
  };
}
