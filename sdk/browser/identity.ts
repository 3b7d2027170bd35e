import { createMemoryKeyValue, type KeyValue } from '../core/index.ts';

const COOKIE = 'livora_aid';
const YEAR_SECONDS = 365 * 86_400;

/** localStorage, or memory where a browser refuses it (some private modes). */
export function localValues(): KeyValue {
  try {
    const probe = '__livora__';
    localStorage.setItem(probe, probe);
    localStorage.removeItem(probe);
    return {
      get: (key) => localStorage.getItem(key),
      set: (key, value) => localStorage.setItem(key, value),
      remove: (key) => localStorage.removeItem(key),
    };
  } catch {
    return createMemoryKeyValue();
  }
}

/** The anonymous id in a first-party cookie (read first: it spans the site's subpaths) and in localStorage. */
export function anonymousIdStore(values: KeyValue) {
  return {
    get(): string | null {
      const cookie = document.cookie.split('; ').find((c) => c.startsWith(`${COOKIE}=`));
      return cookie ? decodeURIComponent(cookie.slice(COOKIE.length + 1)) : values.get(COOKIE);
    },
    set(id: string): void {
      const secure = location.protocol === 'https:' ? '; Secure' : '';
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is async and missing in some browsers still
      document.cookie = `${COOKIE}=${encodeURIComponent(id)}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax${secure}`;
      values.set(COOKIE, id);
    },
  };
}
