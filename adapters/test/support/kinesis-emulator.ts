import { createRequire } from 'node:module';
import path from 'node:path';
import { type EmulatorProcess, startEmulatorProcess } from './emulator-process.ts';
import { freePort } from './free-port.ts';

export type KinesisEmulator = EmulatorProcess;

/** Starts the `kinesis-local` emulator (kinesis-mock) on a free port, plain HTTP. */
export async function startKinesisEmulator(): Promise<KinesisEmulator> {
  const dir = path.dirname(createRequire(import.meta.url).resolve('kinesis-local/package.json'));
  const port = await freePort();
  const tlsPort = await freePort();
  return startEmulatorProcess({
    name: 'kinesis-local',
    command: process.execPath,
    args: ['main.js'],
    port,
    probe: { path: '/', method: 'POST' },
    spawn: {
      cwd: dir,
      env: {
        ...process.env,
        KINESIS_MOCK_PLAIN_PORT: String(port),
        KINESIS_MOCK_TLS_PORT: String(tlsPort),
        LOG_LEVEL: 'ERROR',
        CREATE_STREAM_DURATION: '0ms',
        AWS_REGION: 'us-east-1',
      },
    },
  });
}
