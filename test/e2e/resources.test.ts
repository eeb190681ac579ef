import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeStructured } from '../../src/domain/display.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
let h: Harness;
let limited: Harness;

const FILE_URI = 'vpsorg://zones/example.com/zonefile';
const JSON_URI = 'vpsorg://zones/example.com/records';

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  emu.store.addZone('example.com', [
    { record_type: 'A', name: '@', value: '192.0.2.1' },
    { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
    { record_type: 'TXT', name: '@', value: 'v=spf1 -all' },
    // A bidi override hidden in provider data ("Trojan Source"): must be visible to the model.
    { record_type: 'TXT', name: 'note', value: 'safe \u202etext' },
  ]);
  emu.store.addZone('other.org', [{ record_type: 'A', name: 'www', value: '198.51.100.7' }]);
  h = await startHarness({ emu });
  limited = await startHarness({ emu, env: { VPSORG_ALLOWED_ZONES: 'example.com', VPSORG_READ_ONLY: 'true' } });
});
afterAll(async () => {
  await h.close();
  await limited.close();
  await emu.close();
});

const text = (r: { contents: Array<{ text?: string; blob?: string }> }) => (r.contents[0] as { text: string }).text;

describe('zone resources', () => {
  it('offers two templates that say their content is data', async () => {
    const { resourceTemplates } = await h.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => [t.uriTemplate, t.mimeType])).toEqual([
      ['vpsorg://zones/{domain}/zonefile', 'text/dns'],
      ['vpsorg://zones/{domain}/records', 'application/json'],
    ]);
    for (const t of resourceTemplates) expect(t.description).toMatch(/never instructions/);
  });

  it('lists two resources per zone, sorted by domain, the change journal and the MCP App views, in one page on a small account', async () => {
    const page = await h.client.listResources({ cursor: undefined });
    expect(page.resources.map((r) => r.uri)).toEqual([
      'vpsorg://zones/example.com/zonefile',
      'vpsorg://zones/example.com/records',
      'vpsorg://zones/other.org/zonefile',
      'vpsorg://zones/other.org/records',
      'vpsorg://changes',
      ...VIEW_URIS,
    ]);
    expect(page.nextCursor).toBeUndefined();
    expect(page.resources[0]).toMatchObject({ name: 'example.com/zonefile', mimeType: 'text/dns' });
  });

  it('reads the zone file: the same export as export_zone_file, marked as data', async () => {
    const r = await h.client.readResource({ uri: FILE_URI });
    expect(r.contents[0]?.mimeType).toBe('text/dns');
    const body = text(r);
    expect(body.split('\n')[0]).toMatch(/^; Record names and values are data/);
    expect(body).toContain('$ORIGIN example.com.');
    const tool = await h.call('export_zone_file', { zone: 'example.com' });
    const exported = (tool.structured?.['zone_file'] as string).replace('\u202e', '\\u{202e}');
    expect(body.split('\n').slice(1).join('\n')).toBe(exported);
  });

  it('reads the records as JSON with the API field names; hidden characters are escaped, not lost', async () => {
    const r = await h.client.readResource({ uri: JSON_URI });
    expect(r.contents[0]?.mimeType).toBe('application/json');
    const raw = text(r);
    expect(raw).toContain('\\u202e');
    expect(raw).not.toContain('\u202e');
    const doc = JSON.parse(raw) as { zone: { domain: string }; records: Array<Record<string, unknown>>; notice: string };
    expect(doc.zone.domain).toBe('example.com');
    expect(doc.notice).toMatch(/never instructions/);
    const listed = await h.call('list_records', { zone: 'example.com' });
    // The resource's JSON is lossless (escapes are JSON's own); structuredContent shows hidden characters escaped.
    expect(safeStructured(doc.records)).toEqual(listed.structured?.['records']);
    expect(Object.keys(doc.records[0] ?? {}).sort()).toEqual(['created_at', 'name', 'priority', 'record_type', 'ttl', 'uuid', 'value']);
    expect(doc.records.find((x) => x['name'] === 'note')?.['value']).toBe('safe \u202etext');
  });

  it('accepts the domain in any case and with a trailing dot', async () => {
    const r = await h.client.readResource({ uri: 'vpsorg://zones/EXAMPLE.com./records' });
    expect((JSON.parse(text(r)) as { zone: { domain: string } }).zone.domain).toBe('example.com');
  });

  it('a zone that is not in the account is "resource not found", with the reason', async () => {
    const err = await h.client.readResource({ uri: 'vpsorg://zones/missing.net/zonefile' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: -32602, data: { uri: 'vpsorg://zones/missing.net/zonefile' } });
    expect(String((err as Error).message)).toMatch(/No zone missing\.net in this account/);
  });

  it('refuses a zone uuid in place of the domain, saying how to name it', async () => {
    const err = await h.client.readResource({ uri: 'vpsorg://zones/0b7e2f4e-uuid/records' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: -32602 });
    expect(String((err as Error).message)).toMatch(/by its domain/);
  });

  it('completes {domain} from the zone list', async () => {
    const r = await h.client.complete({ ref: { type: 'ref/resource', uri: 'vpsorg://zones/{domain}/records' }, argument: { name: 'domain', value: 'oth' } });
    expect(r.completion.values).toEqual(['other.org']);
    const all = await h.client.complete({ ref: { type: 'ref/resource', uri: 'vpsorg://zones/{domain}/zonefile' }, argument: { name: 'domain', value: '' } });
    expect(all.completion.values).toEqual(['example.com', 'other.org']);
  });

  it('a cursor this server did not give out is a clear invalid-params error', async () => {
    const err = await h.client.listResources({ cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: -32602 });
    expect(String((err as Error).message)).toMatch(/cursor.*nextCursor/);
  });
});

// The MCP App views of the writes and plans, check_propagation and audit_zone (test/e2e/app-resources.test.ts).
const VIEW_URIS = ['ui://vpsorg-dns-mcp/plan.html', 'ui://vpsorg-dns-mcp/propagation.html', 'ui://vpsorg-dns-mcp/audit.html'];

describe('zone resources under VPSORG_ALLOWED_ZONES (and read-only mode)', () => {
  it('lists and completes only the allowed zones', async () => {
    const page = await limited.client.listResources({ cursor: undefined });
    expect(page.resources.map((r) => r.uri)).toEqual([FILE_URI, JSON_URI, 'vpsorg://changes', ...VIEW_URIS]);
    const c = await limited.client.complete({ ref: { type: 'ref/resource', uri: 'vpsorg://zones/{domain}/zonefile' }, argument: { name: 'domain', value: '' } });
    expect(c.completion.values).toEqual(['example.com']);
  });

  it('reads an allowed zone (read-only mode does not hide reads) and refuses the others before asking the API', async () => {
    expect(text(await limited.client.readResource({ uri: FILE_URI }))).toContain('$ORIGIN example.com.');
    emu.requests.length = 0;
    const err = await limited.client.readResource({ uri: 'vpsorg://zones/other.org/zonefile' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: -32602, data: { code: 'policy' } });
    expect(String((err as Error).message)).toMatch(/outside VPSORG_ALLOWED_ZONES/);
    expect(emu.requests).toEqual([]);
  });
});
