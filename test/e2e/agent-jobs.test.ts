/**
 * Issue 22's nine everyday jobs, end to end through a client this project did not write (the
 * MCP Inspector CLI, one process per call) against one sandbox served over HTTP for the file.
 * Each job ends with what both sandbox nameservers serve, asked over real DNS. Gated writes are
 * confirmed with the confirm_token round trip (VPSORG_CONFIRM_MODE=token: the CLI has no
 * elicitation), and a 1 s inline cap stands for a client that gives up early (`resume` continues).
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDns } from '../../src/dns/query.js';
import { JOBS, type Served } from './agent-jobs.js';
import { startHttpSandbox, type HttpSandbox } from './agent-inspector.js';

let sb: HttpSandbox;

beforeAll(async () => {
  if (!existsSync('dist/index.js')) throw new Error('dist/index.js is missing: run npm run build first (npm test does).');
  sb = await startHttpSandbox({ VPSORG_CONFIRM_MODE: 'token', VPSORG_MAX_INLINE_WAIT_S: '1' });
  expect(sb.nameservers).toHaveLength(2);
}, 60_000);
afterAll(async () => {
  await sb?.close();
});

/** The values of one set on one server ([] for NXDOMAIN/NODATA), only answers at that owner. */
async function served(ns: { address: string; port: number }, want: Served): Promise<string[]> {
  const r = await queryDns(ns, want.name, want.type);
  if (!r.ok) throw new Error(`${want.name} ${want.type} @${ns.port}: ${r.error}`);
  const owner = (n: string) => n.replace(/\.$/, '').toLowerCase();
  return r.answers.filter((a) => a.type === want.type && owner(a.name) === owner(want.name)).map((a) => a.value).sort();
}

/** Both nameservers, polled while ns2 publishes late (it serves each change 2 s after it is made). */
async function bothServe(want: Served): Promise<string[][]> {
  let got: string[][] = [];
  for (let i = 0; i < 40; i++) {
    got = await Promise.all(sb.nameservers.map((ns) => served(ns, want)));
    if (got.every((v) => JSON.stringify(v) === JSON.stringify([...want.values].sort()))) break;
    await sleep(250);
  }
  return got;
}

describe('nine agent jobs through the MCP Inspector CLI', () => {
  for (const job of JOBS) {
    it(job.name, async () => {
      const expected = await job.run(sb.call);
      for (const want of expected) {
        const sorted = [...want.values].sort();
        expect(await bothServe(want), `${want.name} ${want.type}`).toEqual([sorted, sorted]);
      }
    }, 120_000);
  }
});
