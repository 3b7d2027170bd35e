import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const dockerfile = read('Dockerfile');
const stages = dockerfile.split(/^FROM /m).slice(1);
const instructions = (stage: string, name: string) =>
  stage
    .split('\n')
    .filter((line) => line.startsWith(`${name} `))
    .map((line) => line.slice(name.length + 1).trim());
const copies = (stage: string) =>
  instructions(stage, 'COPY')
    .filter((args) => !args.startsWith('--from'))
    .flatMap((args) => args.split(/\s+/).slice(0, -1));

/** What the build context holds, by .dockerignore's rules (later lines win; `!` re-includes). */
function inContext(file: string): boolean {
  const rules = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  let included = true;
  for (const rule of rules) {
    const negated = rule.startsWith('!');
    const pattern = (negated ? rule.slice(1) : rule).replace(/^\*\*\//, '');
    const segments = file.split('/');
    const matches =
      file === pattern ||
      file.startsWith(`${pattern}/`) ||
      (rule.startsWith('**/') && segments.some((_, i) => segments.slice(i).join('/').startsWith(pattern)));
    if (matches) included = negated;
  }
  return included;
}

describe('the runtime image (Dockerfile)', () => {
  it('builds in stages and runs as an unprivileged user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const final = stages.at(-1) as string;
    const user = instructions(final, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('copies only what exists and what the build context keeps', () => {
    for (const stage of stages)
      for (const source of copies(stage)) {
        expect(existsSync(path.join(root, source)), source).toBe(true);
        expect(inContext(source), `${source} is excluded by .dockerignore`).toBe(true);
      }
  });

  it('gives npm ci every workspace manifest (the lock is checked against all of them)', () => {
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const first = copies(stages[0] as string);
    for (const workspace of workspaces) expect(first, workspace).toContain(`${workspace}/package.json`);
    expect(first).toContain('package-lock.json');
  });

  it('starts the livora CLI, with a role it knows as the argument', () => {
    const final = stages.at(-1) as string;
    expect(instructions(final, 'ENTRYPOINT')).toEqual([
      '["node", "--heap-growing-percent=100", "runtime/src/cli/livora.ts"]',
    ]);
    const [role] = JSON.parse(instructions(final, 'CMD')[0] as string) as string[];
    const cli = read('runtime/src/cli/livora.ts');
    for (const known of [role, 'api', 'pipeline', 'worker', 'start']) expect(cli).toContain(`.command('${known}')`);
  });

  it('runs Node with the memory settings `npm start` runs it with', () => {
    const final = stages.at(-1) as string;
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
    const environment = instructions(final, 'ENV').join(' ');
    for (const setting of start.match(/[A-Z_]+=\S+/g) ?? []) expect(environment).toContain(setting);
    for (const flag of start.match(/--heap-\S+/g) ?? []) expect(instructions(final, 'ENTRYPOINT')[0]).toContain(flag);
    expect(start).toContain('MALLOC_ARENA_MAX=2');
    expect(start).toContain('--heap-growing-percent=100');
  });
});
