/**
 * The image's HEALTHCHECK (`node runtime/src/cli/container-health.ts`): the roles that serve
 * HTTP (`api`, `start`) must answer /healthz; the pipeline and the worker serve nothing and
 * are healthy while their process runs. The role is the argument of the container's first
 * process (`livora.ts <role>`).
 */
import { readFileSync } from 'node:fs';

const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
const at = args.findIndex((arg) => arg.endsWith('livora.ts'));
const role = at >= 0 ? args[at + 1] : 'api';
if (role !== 'api' && role !== 'start') process.exit(0);
const port = process.env.LIVORA_PORT ?? '8080';
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
