// The `node` devDependency (Node 22, for the conformance suite only: scripts/conformance.sh runs
// node_modules/node/bin/node) would otherwise put a `node` into node_modules/.bin, and every npm
// script, npx call and test would silently run on Node 22 instead of the Node the user has.
import { lstatSync, readlinkSync, unlinkSync } from 'node:fs';

const link = 'node_modules/.bin/node';
try {
  const st = lstatSync(link);
  const target = st.isSymbolicLink() ? readlinkSync(link) : '';
  if (!st.isSymbolicLink() || target.includes('node/bin/node')) unlinkSync(link);
} catch {
  // Not there: nothing to do.
}
