import { spawnSync } from 'node:child_process';
import { type EmulatorProcess, startEmulatorProcess } from './emulator-process.ts';
import { freePort } from './free-port.ts';

/** Plain HTTP; clients need path-style addressing (`http://host/bucket/key`). */
export type MotoServer = EmulatorProcess;

/** Whether moto's server (`pip install 'moto[server]'`; .ci/run installs it) can start with python3. */
export function motoServerInstalled(): boolean {
  return spawnSync('python3', ['-c', 'import moto.server']).status === 0;
}

/** moto's AWS emulator on a free port, in memory: S3 here (ListObjectsV2 paging, NoSuchKey as S3 sends them). */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  return startEmulatorProcess({
    name: 'moto_server',
    command: 'python3',
    args: ['-m', 'moto.server', '--host', '127.0.0.1', '--port', String(port)],
    port,
    probe: { path: '/moto-api/data.json' },
  });
}
