// Regenerates manifest.json, server.json and the README's tools and settings tables from the definitions.
// `npm run gen:docs` writes them; `--check` only reports (exit 1) when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderManifest, renderReadme, renderServerJson } from './docs-lib.js';

const check = process.argv.includes('--check');
const outputs: Array<[string, string]> = [
  ['manifest.json', renderManifest()],
  ['server.json', renderServerJson()],
  ['README.md', renderReadme(readFileSync('README.md', 'utf8'))],
];
let stale = 0;
for (const [file, text] of outputs) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // A missing file is stale.
  }
  if (current === text) continue;
  stale++;
  if (check) process.stderr.write(`${file} is out of date: run npm run gen:docs\n`);
  else {
    writeFileSync(file, text);
    process.stderr.write(`wrote ${file}\n`);
  }
}
process.exitCode = check && stale ? 1 : 0;
