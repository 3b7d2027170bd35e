import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

export interface EmulatorProcess {
  /** Plain HTTP on 127.0.0.1. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts an emulator as a child process and waits (30 s at most) until an HTTP request to
 * `probe` gets any answer; a child that exits, or never answers, fails with its stderr.
 */
export async function startEmulatorProcess(options: {
  name: string;
  command: string;
  args: readonly string[];
  port: number;
  /** Path (and method) that answers once the emulator serves. */
  probe: { path: string; method?: string };
  spawn?: Pick<SpawnOptions, 'cwd' | 'env'>;
}): Promise<EmulatorProcess> {
  const { name, port } = options;
  const child: ChildProcess = spawn(options.command, options.args, {
    ...options.spawn,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${stderr}`);
    try {
      await fetch(`${endpoint}${options.probe.path}`, { method: options.probe.method ?? 'GET' });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${name} did not listen on ${port}: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
