import { ObjectStoreUnavailableError } from '../ports/object-store.ts';
import { isNetworkFailure } from './network-failure.ts';

/**
 * Runs a cloud object store's calls: one that got no answer (network failure, timeout, or
 * a 5xx after the SDK's retries) rejects with ObjectStoreUnavailableError naming the
 * store and the operation; any other error (a 404, a refused key) passes through.
 */
export function storeCall(store: string, statusOf: (error: unknown) => number | undefined) {
  return async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const status = statusOf(error);
      if (isNetworkFailure(error) || (status !== undefined && status >= 500)) {
        throw new ObjectStoreUnavailableError(`${store} did not answer ${operation}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      throw error;
    }
  };
}
