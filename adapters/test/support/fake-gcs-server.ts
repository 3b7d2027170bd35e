import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import path from 'node:path';
import { type EmulatorProcess, startEmulatorProcess } from './emulator-process.ts';
import { freePort } from './free-port.ts';

/** Plain HTTP, for the client's `apiEndpoint`. */
export type FakeGcsServer = EmulatorProcess;

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
  return startEmulatorProcess({
    name: 'fake-gcs-server',
    command: binary,
    args: [
      ...['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory'],
      ...['-external-url', endpoint, '-public-host', `127.0.0.1:${port}`, '-log-level', 'error'],
    ],
    port,
    probe: { path: '/storage/v1/b' },
  });
}
