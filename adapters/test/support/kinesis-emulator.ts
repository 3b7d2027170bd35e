import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from './free-port.ts';

export interface KinesisEmulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts the `kinesis-local` emulator (kinesis-mock) on a free port, plain HTTP. */
export async function startKinesisEmulator(): Promise<KinesisEmulator> {
  const dir = path.dirname(createRequire(import.meta.url).resolve('kinesis-local/package.json'));
  const port = await freePort();
  const tlsPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['main.js'], {
    cwd: dir,
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(port),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      LOG_LEVEL: 'ERROR',
      CREATE_STREAM_DURATION: '0ms',
      AWS_REGION: 'us-east-1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kinesis-local exited (${child.exitCode}): ${stderr}`);
    try {
      await fetch(endpoint, { method: 'POST' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`kinesis-local did not listen on ${port}: ${stderr}`);
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
