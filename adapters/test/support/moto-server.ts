import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort } from './free-port.ts';

export interface MotoServer {
  /** Plain HTTP; clients need path-style addressing (`http://host/bucket/key`). */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Whether moto's server (`pip install 'moto[server]'`; .ci/run installs it) can start with python3. */
export function motoServerInstalled(): boolean {
  return spawnSync('python3', ['-c', 'import moto.server']).status === 0;
}

/** moto's AWS emulator on a free port, in memory: S3 here (ListObjectsV2 paging, NoSuchKey as S3 sends them). */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      await fetch(`${endpoint}/moto-api/data.json`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`moto_server did not listen on ${port}: ${stderr}`);
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
