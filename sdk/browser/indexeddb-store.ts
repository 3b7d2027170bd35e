import type { LivoraEvent, QueueStore } from '../core/index.ts';

const STORE = 'events';

interface Stored {
  readonly order: number;
  readonly event: LivoraEvent;
  /** Not sent before this time (ms): it went by beacon. */
  readonly heldUntil: number;
}

/**
 * The queue in IndexedDB: it survives reloads and browser restarts, and every tab of the
 * site shares it (flushes take turns under a Web Lock, so no two tabs send one event).
 * Events are kept by id with an increasing `order`; past `maxEvents` the oldest go.
 */
export async function openIndexedDbStore(name: string, maxEvents: number): Promise<QueueStore> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: 'event.event_id' });
      store.createIndex('order', 'order');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  let counter = 0;

  /** Runs `work` in one transaction and resolves with its result once the transaction commits. */
  function inTransaction<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result());
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  /** The oldest `count` events of `store` (only those not held, with `ready`), by cursor. */
  function oldest(store: IDBObjectStore, count: number, each: (cursor: IDBCursorWithValue) => void, ready = false) {
    let seen = 0;
    const now = Date.now();
    const request = store.index('order').openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor || seen >= count) return;
      if (!ready || !((cursor.value as Stored).heldUntil > now)) {
        seen += 1;
        each(cursor);
      }
      cursor.continue();
    };
  }

  return {
    push(event) {
      const evicted: LivoraEvent[] = [];
      // Order by time, then by a counter: events of two tabs interleave by when they came.
      const order = Date.now() * 1000 + (counter++ % 1000);
      return inTransaction('readwrite', (store) => {
        store.put({ order, event, heldUntil: 0 });
        const count = store.count();
        count.onsuccess = () => {
          if (count.result > maxEvents)
            oldest(store, count.result - maxEvents, (cursor) => {
              evicted.push((cursor.value as { event: LivoraEvent }).event);
              cursor.delete();
            });
        };
        return () => evicted;
      });
    },
    peek(count) {
      const events: LivoraEvent[] = [];
      return inTransaction('readonly', (store) => {
        oldest(store, count, (cursor) => events.push((cursor.value as Stored).event), true);
        return () => events;
      });
    },
    remove(eventIds) {
      return inTransaction('readwrite', (store) => {
        for (const id of eventIds) store.delete(id);
        return () => undefined;
      });
    },
    hold(eventIds, untilMs) {
      return inTransaction('readwrite', (store) => {
        for (const id of eventIds) {
          const request = store.get(id);
          request.onsuccess = () => {
            if (request.result) store.put({ ...(request.result as Stored), heldUntil: untilMs });
          };
        }
        return () => undefined;
      });
    },
    size() {
      return inTransaction('readonly', (store) => {
        const request = store.count();
        return () => request.result;
      });
    },
  };
}
