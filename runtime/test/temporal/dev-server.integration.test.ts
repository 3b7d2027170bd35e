import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@livora/adapters/testing';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { resolveTemporal } from '../../src/main/temporal-server.ts';

const cli = process.env.LIVORA_TEMPORAL_CLI ?? (spawnSync('temporal', ['--version']).status === 0 ? 'temporal' : null);

describe.skipIf(!cli)('the Temporal dev server the engine starts', () => {
  it('is tried once more when it fails to start, and the reason names what it printed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'livora-dev-server-'));
    try {
      // A CLI that fails its first start (as when another process took one of its ports), then works.
      const flaky = path.join(dir, 'flaky-temporal');
      const marker = path.join(dir, 'failed-once');
      await writeFile(
        flaky,
        `#!/bin/sh\nif [ ! -e '${marker}' ]; then touch '${marker}'; echo 'bind: address already in use' >&2; exit 2; fi\nexec ${cli} "$@"\n`,
      );
      await chmod(flaky, 0o755);
      const config = loadConfig({
        LIVORA_TEMPORAL_CLI: flaky,
        LIVORA_TEMPORAL_PORT: String(await freePort()),
        LIVORA_TEMPORAL_UI_PORT: String(await freePort()),
      });
      const lines: string[] = [];
      const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
      const temporal = await resolveTemporal(config, dir, log);
      try {
        expect(temporal.kind).toBe('ready');
        expect(lines.join('')).toContain('address already in use');
      } finally {
        if (temporal.kind === 'ready') await temporal.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
