/**
 * npm run size — the browser bundle as a site would ship it (bundled, minified, gzipped),
 * against its budget of 8 KB; exits 1 over budget (CI runs it through `npm test`).
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const BUDGET_BYTES = 8 * 1024;

export async function browserBundleSize(): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    entryPoints: [new URL('../browser/index.ts', import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { minified, gzipped } = await browserBundleSize();
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  console.log(
    `@livora/sdk browser bundle: ${kb(minified)} minified, ${kb(gzipped)} gzipped (budget ${kb(BUDGET_BYTES)})`,
  );
  if (gzipped > BUDGET_BYTES) {
    console.error('over budget');
    process.exit(1);
  }
}
