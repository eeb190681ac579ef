import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';

// Every test file gets a temp folder of its own below the run's (test/setup/temp-root.ts), and
// TMPDIR points there, so whatever the file and its helpers make with mkdtemp(tmpdir()) goes with
// it: the folder is removed when the file ends, failed or not (this hook, registered first, runs
// after the file's own), and the run's when the run ends. Nothing a test makes has to outlive its
// file; one that must would say why, and make its folder elsewhere.
//
// Tests never write to the real home directory either. The server keeps its change journal under
// the user's state directory by default, and servers that tests start inherit HOME (SDK v1's stdio
// transport passes it on), so the file's HOME is in its temp folder too. The harness also points
// each in-process server at a journal directory of its own.
// The Node 22/24 binaries (scripts/node-runtime.sh, ~190 MB each) are the exception: they stay in
// the cache `npm test`'s pretest filled, not installed again into each file's fresh home.
const cacheHome = process.env['XDG_CACHE_HOME'] ?? (process.env['HOME'] ? join(process.env['HOME'], '.cache') : undefined);
if (cacheHome) process.env['VPSORG_NODE_CACHE'] ??= join(cacheHome, 'vpsorg-dns-mcp', 'node');
const own = mkdtempSync(join(inject('tempRoot'), 'f-'));
// As the run's folder: initdb, run as the postgres user under root, must reach its folder below.
chmodSync(own, 0o711);
process.env['TMPDIR'] = own;
const home = join(own, 'home');
mkdirSync(home);
process.env['HOME'] = home;
process.env['XDG_STATE_HOME'] = join(home, '.local', 'state');
afterAll(() => rmSync(own, { recursive: true, force: true }));
