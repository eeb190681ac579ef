// Bundles the server into dist/ for a fast start: the stdio path is one file; the HTTP transport,
// the emulator and other on-demand parts are split into chunks loaded only when asked for.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Some bundled CommonJS dependencies call require(); give ESM output a real one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

// 1. The tools' catalog (metadata and JSON Schemas), computed once here instead of at every start.
const tmp = mkdtempSync(join(tmpdir(), 'vpsorg-build-'));
let catalog;
try {
  await build({ ...common, entryPoints: ['scripts/tool-catalog.ts'], outfile: join(tmp, 'tool-catalog.mjs') });
  catalog = execFileSync(process.execPath, [join(tmp, 'tool-catalog.mjs')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  JSON.parse(catalog);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// 2. The server.
rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  define: { __BUILD_TOOL_CATALOG__: JSON.stringify(catalog) },
});
