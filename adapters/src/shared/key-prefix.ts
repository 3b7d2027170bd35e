import { assertObjectKey } from '../ports/object-store.ts';

/**
 * A cloud store's key prefix as it goes before each key: '' or segments ending in '/'.
 * The '/' is added so that prefix `lake` never sees the objects of `lakeside/`.
 */
export function normalizeKeyPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertObjectKey(trimmed);
  return `${trimmed}/`;
}
