import { readFileSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';

/** Whether a process lives (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process's command line holds `text` (NUL separates arguments). Where there
 * is no /proc (macOS), says yes: the caller cannot tell, and goes on as if it were so.
 */
export function runsWith(pid: number, text: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
  } catch {
    return isAlive(pid);
  }
}

/** Asks a process to stop with `signal`, waits up to `timeoutMs`, then sends `escalation`. */
export async function stopProcess(
  pid: number,
  options: { signal: NodeJS.Signals; escalation: NodeJS.Signals; timeoutMs: number },
): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, options.signal);
  const deadline = Date.now() + options.timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, options.escalation);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Takes a pid file (created exclusively, holding this process's pid). A file left by a
 * process that died is taken over; an empty one is being written this instant, and only
 * counts as abandoned once it is a few seconds old. When a live process holds it,
 * `whenHeld` decides: `wait` for it (up to `timeoutMs`), or `fail` at once.
 */
export async function takePidFile(
  file: string,
  options: { whenHeld: 'wait' | 'fail'; timeoutMs?: number; describe: (holder: number) => string },
): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(file, 'utf8').catch(() => ''));
    const unnamed = !Number.isInteger(holder) || holder <= 0;
    const age = Date.now() - ((await stat(file).catch(() => null))?.mtimeMs ?? 0);
    if ((unnamed && age > 5_000) || (!unnamed && holder !== process.pid && !isAlive(holder))) {
      await rm(file, { force: true });
      continue;
    }
    if (!unnamed && options.whenHeld === 'fail') throw new Error(options.describe(holder));
    if (Date.now() > deadline) throw new Error(options.describe(holder));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
