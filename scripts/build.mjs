// Bundles the server into dist/ for a fast start: the stdio path is one file; the HTTP transport,
// the emulator and other on-demand parts are split into chunks loaded only when asked for.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildViewPage } from './build-views.mjs';

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

// 2. The MCP App views' page: embedded in the chunk that serves it, and in dist/views for runs from
//    source (left out of the npm package and the .mcpb).
const viewPage = await buildViewPage();

// 3. The server.
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/views', { recursive: true });
writeFileSync('dist/views/view.html', viewPage);
await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  define: { __BUILD_TOOL_CATALOG__: JSON.stringify(catalog), __BUILD_VIEW_PAGE__: JSON.stringify(viewPage) },
});
