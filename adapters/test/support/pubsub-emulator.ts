import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort } from './free-port.ts';

export interface PubSubEmulator {
  /** `host:port`, for the client's emulator mode. */
  readonly host: string;
  stop(): Promise<void>;
}

const LAUNCHER = 'cloud-pubsub-emulator';

/**
 * Where Google's Pub/Sub emulator launcher is: on PATH, or inside the SDK that `gcloud`
 * belongs to (the google-cloud-cli-pubsub-emulator package). Null when absent, or when
 * there is no Java to run it.
 */
export function findPubSubEmulator(): string | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const onPath = (name: string) => dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
  if (!onPath('java')) return null;
  const direct = onPath(LAUNCHER);
  if (direct) return direct;
  const gcloud = onPath('gcloud');
  if (!gcloud) return null;
  const sdkRoot = path.dirname(path.dirname(realpathSync(gcloud)));
  const bundled = path.join(sdkRoot, 'platform', 'pubsub-emulator', 'bin', LAUNCHER);
  return existsSync(bundled) ? bundled : null;
}

/** Starts the emulator on a free port of 127.0.0.1 and waits until it takes connections. */
export async function startPubSubEmulator(launcher: string): Promise<PubSubEmulator> {
  const port = await freePort();
  // The launcher execs java, so the child is the JVM itself and stopping it stops the emulator.
  const child: ChildProcess = spawn(launcher, ['--host=127.0.0.1', `--port=${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // A test run that dies must not leave a JVM behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  while (!stderr.includes(`listening on ${port}`)) {
    if (child.exitCode !== null) throw new Error(`the Pub/Sub emulator exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`the Pub/Sub emulator did not listen on ${port}: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await accepts(port);
  return {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function accepts(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}
