/**
 * Node 20 is end-of-life: the suite also runs on Node 22 and 24 (scripts/test-matrix.sh, run by
 * CI after the README's test command), each from the npm `node` package fetched on demand into a
 * cache, never by a plain `npm install` of the server. Here: that wiring, and the built server
 * serving on Node 22 (which `npm test`'s pretest fetched for the conformance suite).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli, json } from '../helpers/cli.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; dependencies?: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };

describe('Node versions', () => {
  it('a plain npm install pulls no Node binary; engines stay >=20.18', () => {
    expect(pkg.engines.node).toBe('>=20.18');
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).not.toContain('node');
  });

  it('CI runs the README test command, the externally graded suites, then both on Node 22 and 24', () => {
    const ci = readFileSync('.ci/run', 'utf8');
    const readmeCmd = ci.indexOf('npm ci && npm test');
    expect(readmeCmd).toBeGreaterThan(0);
    const external = ci.indexOf('\nnpm run test:external\n');
    expect(external).toBeGreaterThan(readmeCmd);
    expect(ci.indexOf('scripts/test-matrix.sh 22 24')).toBeGreaterThan(external);
    expect(pkg.scripts['test']).toMatch(/vitest run --project suite$/);
    expect(pkg.scripts['test:external']).toMatch(/vitest run --project external$/);
    expect(readFileSync('README.md', 'utf8')).toMatch(/Node(\.js)? 22 and 24/);
  });

  it('the built server runs on Node 22 from the npm node package', async () => {
    const { stdout } = await run('bash', ['scripts/node-runtime.sh', '22'], { timeout: 300_000 });
    const node22 = stdout.trim();
    expect((await run(node22, ['--version'])).stdout).toMatch(/^v22\./);
    const r = await cli(['call', 'list_records', '--sandbox', '--zone', 'example.com', '--record-type', 'MX'], {}, { node: node22 });
    expect(r.code).toBe(0);
    expect((json(r)['records'] as unknown[]).length).toBe(2);
  });
});
