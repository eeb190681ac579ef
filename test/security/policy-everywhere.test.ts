// Issue 13 point 11: VPSORG_TOOLSETS and VPSORG_READ_ONLY govern resources and completions too,
// so a zone the configuration does not expose through tools is not readable another way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

const RECORDS = 'vpsorg://zones/example.com/records';
const FILE = 'vpsorg://zones/example.com/zonefile';

async function templates(h: Harness): Promise<string[]> {
  try {
    return (await h.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
  } catch {
    return [];
  }
}

describe('VPSORG_TOOLSETS=account', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { VPSORG_TOOLSETS: 'account' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('offers no zone resources and reads none', async () => {
    expect(await templates(h)).toEqual([]);
    await expect(h.client.readResource({ uri: RECORDS })).rejects.toThrow();
    const listed = await h.client.listResources().then((r) => r.resources, () => []);
    expect(listed).toEqual([]);
  });

  it('completes no zone names', async () => {
    const r = await h.client.complete({ ref: { type: 'ref/resource', uri: 'vpsorg://zones/{domain}/records' }, argument: { name: 'domain', value: 'exa' } }).then((x) => x.completion.values, () => []);
    expect(r).toEqual([]);
  });
});

describe('VPSORG_TOOLSETS=records,zones', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { VPSORG_TOOLSETS: 'records,zones' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('offers the records resource (list_records is there) but not the zone file (export_zone_file is not)', async () => {
    expect(await templates(h)).toEqual(['vpsorg://zones/{domain}/records']);
    expect((await h.client.readResource({ uri: RECORDS })).contents).toHaveLength(1);
    await expect(h.client.readResource({ uri: FILE })).rejects.toThrow();
  });
});

describe('VPSORG_READ_ONLY=true keeps reads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { VPSORG_READ_ONLY: 'true' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('both resources stay, since the tools they mirror are read-only', async () => {
    expect((await templates(h)).sort()).toEqual(['vpsorg://zones/{domain}/records', 'vpsorg://zones/{domain}/zonefile']);
  });
});
