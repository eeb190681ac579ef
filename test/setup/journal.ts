import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests never write to the real home directory. The server keeps its change journal under the
// user's state directory by default, and servers that tests start inherit HOME (SDK v1's stdio
// transport passes it on), so every test worker gets a home of its own in the temp directory.
// The harness also points each in-process server at a journal directory of its own.
// The Node 22/24 binaries (scripts/node-runtime.sh, ~190 MB each) are the exception: they stay in
// the cache `npm test`'s pretest filled, not installed again into each worker's fresh home.
const cacheHome = process.env['XDG_CACHE_HOME'] ?? (process.env['HOME'] ? join(process.env['HOME'], '.cache') : undefined);
if (cacheHome) process.env['VPSORG_NODE_CACHE'] ??= join(cacheHome, 'vpsorg-dns-mcp', 'node');
const home = mkdtempSync(join(tmpdir(), 'vpsorg-test-home-'));
process.env['HOME'] = home;
process.env['XDG_STATE_HOME'] = join(home, '.local', 'state');
