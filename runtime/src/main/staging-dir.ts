import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isAlive } from '@livora/adapters/local';

/**
 * This process's folder for the lake's staged rows, `<data dir>/staging/<pid>` (on disk:
 * /tmp may be memory). Folders of processes that are gone (a crash) are removed first,
 * and so is a leftover folder under this process's own pid.
 */
export async function stagingDirectory(dataDir: string): Promise<string> {
  const root = path.join(dataDir, 'staging');
  for (const entry of await readdir(root).catch(() => [])) {
    const pid = Number(entry);
    // Our own pid's folder too: a restarted container is often pid 1 again, and nothing of
    // this process is staged yet.
    if (Number.isInteger(pid) && (pid === process.pid || !isAlive(pid))) {
      await rm(path.join(root, entry), { recursive: true, force: true });
    }
  }
  return path.join(root, String(process.pid));
}
