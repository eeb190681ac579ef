import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ZONES_PER_PAGE } from '../../src/resources/list.js';

const ZONES = 2000;
let emu: Emulator;
let h: Harness;

const domainOf = (i: number) => `zone-${String(i).padStart(4, '0')}.test`;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  for (let i = 0; i < ZONES; i++) emu.store.addZone(domainOf(i));
  emu.store.addZone('example.com', [{ record_type: 'A', name: '@', value: '192.0.2.1' }]);
  // The API's own pagination too: each resources/list call follows 5 API pages of 500 zones.
  emu.setPageSize(500);
  h = await startHarness({ emu });
}, 60_000);
afterAll(async () => {
  await h.close();
  await emu.close();
});

type Page = { resources: Array<{ uri: string }>; nextCursor?: string };
/** The MCP App views listed with the first page (src/apps/views.ts). */
const VIEWS = 3;
const apiCalls = () => emu.requests.map((r) => `${r.method} ${r.path}`);

it(`pages through ${ZONES + 1} zones with nextCursor, listing the zones once per page and nothing per zone`, async () => {
  const uris: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    emu.requests.length = 0;
    const page = (cursor === undefined ? await h.client.request({ method: 'resources/list', params: {} }) : await h.client.listResources({ cursor })) as Page;
    pages++;
    // The first page also lists the fixed resources: the change journal and the MCP App views.
    expect(page.resources.length).toBeLessThanOrEqual(ZONES_PER_PAGE * 2 + (pages === 1 ? 1 + VIEWS : 0));
    uris.push(...page.resources.map((r) => r.uri));
    cursor = page.nextCursor;
    // One zone listing (its 5 API pages) per resources/list call, and no request per zone.
    expect(new Set(apiCalls())).toEqual(new Set(['GET /api/v1/dns-zones/']));
    expect(apiCalls().length).toBe(5);
  } while (cursor !== undefined && pages < 100);
  expect(pages).toBe(Math.ceil((ZONES + 1) / ZONES_PER_PAGE));
  const zoneUris = uris.filter((u) => u.startsWith('vpsorg://zones/'));
  expect(zoneUris).toHaveLength((ZONES + 1) * 2);
  expect(uris.filter((u) => u === 'vpsorg://changes')).toHaveLength(1);
  expect(uris.filter((u) => u.startsWith('ui://'))).toHaveLength(VIEWS);
  expect(new Set(uris).size).toBe(uris.length);
  expect(uris[0]).toBe('vpsorg://zones/example.com/zonefile');
  expect(zoneUris.at(-1)).toBe(`vpsorg://zones/${domainOf(ZONES - 1)}/records`);
});

it('zones created between two page requests neither repeat nor push others out', async () => {
  const first = (await h.client.request({ method: 'resources/list', params: {} })) as Page;
  emu.store.addZone('aaa-new.test');
  emu.store.addZone('zzz-new.test');
  const rest: string[] = [];
  let cursor = first.nextCursor;
  while (cursor !== undefined) {
    const page = (await h.client.listResources({ cursor })) as Page;
    rest.push(...page.resources.map((r) => r.uri));
    cursor = page.nextCursor;
  }
  const all = [...first.resources.map((r) => r.uri), ...rest];
  expect(new Set(all).size).toBe(all.length);
  expect(all.filter((u) => u.startsWith('vpsorg://zones/zone-'))).toHaveLength(ZONES * 2);
  expect(all).toContain('vpsorg://zones/zzz-new.test/records');
});

it('the client can still read any one of them by URI', async () => {
  const r = await h.client.readResource({ uri: `vpsorg://zones/${domainOf(1234)}/zonefile` });
  expect((r.contents[0] as { text: string }).text).toContain(`$ORIGIN ${domainOf(1234)}.`);
});
