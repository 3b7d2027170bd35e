import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertObjectKey, assertObjectPrefix, type ObjectStore } from '../ports/object-store.ts';

/** The lake in a local directory: each put writes a temporary file, then renames it into place. */
export function createDirectoryObjectStore(root: string): ObjectStore {
  const base = path.resolve(root);
  const file = (key: string) => {
    assertObjectKey(key);
    return path.join(base, ...key.split('/'));
  };

  async function walk(dir: string, prefix: string, out: string[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.tmp-')) continue;
      const key = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), key, out);
      else out.push(key);
    }
  }

  return {
    kind: 'local',
    async put(key, body) {
      const target = file(key);
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = path.join(path.dirname(target), `.tmp-${randomBytes(6).toString('hex')}`);
      await writeFile(temporary, body);
      await rename(temporary, target);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(file(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async size(key) {
      try {
        return (await stat(file(key))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async list(prefix) {
      assertObjectPrefix(prefix);
      // Walk only the directory the prefix names, then filter by the rest of it.
      const at = prefix.lastIndexOf('/');
      const dirPrefix = at === -1 ? '' : prefix.slice(0, at);
      const keys: string[] = [];
      await walk(dirPrefix ? file(dirPrefix) : base, dirPrefix, keys);
      return keys.filter((key) => key.startsWith(prefix)).sort();
    },
    async delete(key) {
      await rm(file(key), { force: true });
    },
    locate: (key) => file(key),
  };
}
