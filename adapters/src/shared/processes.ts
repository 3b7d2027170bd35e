import { readFileSync } from 'node:fs';

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
