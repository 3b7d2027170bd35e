import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const scripts = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const shebang = readFileSync(path.join(import.meta.dirname, 'livora.ts'), 'utf8').split('\n')[0] as string;

/** A launcher's environment settings and Node flags, in order. */
const settingsOf = (command: string) => ({
  environment: command.match(/\b[A-Z_]+=\S+/g) ?? [],
  flags: command.match(/--[a-z-]+(=\S+)?/g) ?? [],
});

describe('the engine’s launchers', () => {
  it('run Node with the settings `npm start` runs it with: `npm run livora` and the CLI run directly', () => {
    const start = settingsOf(scripts.start as string);
    expect(start.environment).toContain('MALLOC_ARENA_MAX=2');
    expect(start.flags).toContain('--heap-growing-percent=100');
    expect(settingsOf(scripts.livora as string)).toEqual(start);
    expect(shebang.startsWith('#!/usr/bin/env -S ')).toBe(true);
    expect(settingsOf(shebang)).toEqual(start);
  });
});
