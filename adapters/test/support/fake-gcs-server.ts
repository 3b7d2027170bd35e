import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

export interface FakeGcsServer {
  /** Plain HTTP, for the client's `apiEndpoint`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** How to install it (.ci/run does, at this version). */
export const FAKE_GCS_SERVER_INSTALL =
  'go install github.com/fsouza/fake-gcs-server@v1.56.1, or set FAKE_GCS_SERVER_BIN to its path';

/**
 * The fake-gcs-server binary: $FAKE_GCS_SERVER_BIN, else on PATH, else where `go install`
 * puts it ($GOBIN, $GOPATH/bin, ~/go/bin). Null when none runs.
 */
export function findFakeGcsServer(): string | null {
  const candidates = [
    process.env.FAKE_GCS_SERVER_BIN,
    'fake-gcs-server',
    process.env.GOBIN && path.join(process.env.GOBIN, 'fake-gcs-server'),
    path.join(process.env.GOPATH ?? path.join(homedir(), 'go'), 'bin', 'fake-gcs-server'),
  ];
  for (const candidate of candidates) {
    if (candidate && spawnSync(candidate, ['-help']).error === undefined) return candidate;
  }
  return null;
}

/** fake-gcs-server (GCS's JSON API, paging included) on a free port, in memory. */
export async function startFakeGcsServer(binary: string): Promise<FakeGcsServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    binary,
    [
      ...['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory'],
      ...['-external-url', endpoint, '-public-host', `127.0.0.1:${port}`, '-log-level', 'error'],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fake-gcs-server exited (${child.exitCode}): ${stderr}`);
    try {
      await fetch(`${endpoint}/storage/v1/b`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`fake-gcs-server did not listen on ${port}: ${stderr}`);
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
