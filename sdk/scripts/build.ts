/**
 * npm run build -w sdk — what npm publishes: one ESM file per entry (browser: bundled and
 * minified for sites; node and core: readable) in dist/, and their types in dist/types/.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
await rm(`${root}dist`, { recursive: true, force: true });
for (const [entry, platform, minify] of [
  ['browser', 'browser', true],
  ['node', 'node', false],
  ['core', 'neutral', false],
] as const)
  await build({
    entryPoints: [`${root}${entry}/index.ts`],
    outfile: `${root}dist/${entry}.js`,
    bundle: true,
    format: 'esm',
    platform,
    target: 'es2022',
    minify,
    sourcemap: true,
    logLevel: 'warning',
  });
execFileSync(process.execPath, [`${root}../node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], {
  stdio: 'inherit',
});
// Declarations keep the sources' `.ts` specifiers: point them at the emitted `.js` names.
for (const file of await readdir(`${root}dist/types`, { recursive: true })) {
  if (!file.endsWith('.d.ts')) continue;
  const path = `${root}dist/types/${file}`;
  await writeFile(path, (await readFile(path, 'utf8')).replace(/(from '\.{1,2}\/[^']+)\.ts'/g, "$1.js'"));
}
console.log('sdk: dist/browser.js, dist/node.js, dist/core.js and dist/types/');
