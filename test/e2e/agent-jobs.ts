/**
 * The nine everyday jobs of issue 22, as an agent does them: tool calls only, through whatever
 * client `call` wraps (the e2e test and `npm run bench` both drive the MCP Inspector CLI). Each
 * job returns the record sets both nameservers must serve when it is done (values as the sandbox
 * nameservers render them; [] = nothing there).
 */
export interface Result {
  isError: boolean;
  text: string;
  structured: Record<string, unknown>;
}
export type Call = (tool: string, args: Record<string, unknown>) => Promise<Result>;
export interface Served {
  name: string;
  type: string;
  values: string[];
}
export interface Job {
  name: string;
  run(call: Call): Promise<Served[]>;
}

const Z = 'example.com';
const ok = async (p: Promise<Result>): Promise<Result> => {
  const r = await p;
  if (r.isError) throw new Error(`tool error: ${r.text}`);
  return r;
};
/** A write the gate holds: the preview's confirm_token, sent back with the same arguments. */
async function confirmed(call: Call, tool: string, args: Record<string, unknown>): Promise<Result> {
  const first = await ok(call(tool, args));
  const token = first.structured['confirm_token'];
  return typeof token === 'string' ? ok(call(tool, { ...args, confirm_token: token })) : first;
}
/** Follows `resume` handles (the inline cap stands for a client time-out) until the wait ends. */
async function resumed(call: Call, tool: string, first: Result): Promise<Result> {
  let r = first;
  for (let i = 0; i < 30 && typeof r.structured['resume'] === 'string'; i++) r = await ok(call(tool, { zone: Z, resume: r.structured['resume'] }));
  return r;
}

/** 40 records: 36 hosts, an MX, two TXT and a CNAME (plus the SOA and NS a zone file carries). */
export function bindZone(origin: string): string {
  const hosts = Array.from({ length: 36 }, (_, i) => `host${i + 1} 300 IN A 198.51.100.${i + 1}`);
  return [`$ORIGIN ${origin}.`, '$TTL 3600', `@ IN SOA ns1.vps.org. hostmaster.${origin}. 1 3600 600 1209600 300`, '@ IN NS ns1.vps.org.', '@ IN NS ns2.vps.org.', ...hosts, `@ IN MX 10 host1.${origin}.`, '@ IN TXT "v=spf1 mx -all"', '_dmarc IN TXT "v=DMARC1; p=none"', 'www IN CNAME host2'].join('\n');
}

export const JOBS: Job[] = [
  {
    name: 'Google Workspace mail (MX set + SPF)',
    async run(call) {
      await confirmed(call, 'apply_zone', { zone: Z, records: [{ name: '@', record_type: 'MX', value: 'smtp.google.com', priority: 1 }, { name: '@', record_type: 'TXT', value: 'v=spf1 include:_spf.google.com ~all' }] });
      return [{ name: Z, type: 'MX', values: ['1 smtp.google.com.'] }, { name: Z, type: 'TXT', values: ['v=spf1 include:_spf.google.com ~all'] }];
    },
  },
  {
    name: 'move the apex and www to a new address',
    async run(call) {
      await confirmed(call, 'apply_zone', { zone: Z, records: [{ name: '@', record_type: 'A', value: '203.0.113.10' }, { name: '@', record_type: 'AAAA', value: '2001:db8::10' }] });
      return [{ name: Z, type: 'A', values: ['203.0.113.10'] }, { name: Z, type: 'AAAA', values: ['2001:db8::10'] }, { name: `www.${Z}`, type: 'CNAME', values: [`${Z}.`] }];
    },
  },
  {
    name: 'rename and retype a record',
    async run(call) {
      const made = await confirmed(call, 'create_record', { zone: Z, name: 'blog', record_type: 'A', value: '203.0.113.20' });
      const uuid = (made.structured['records'] as Array<{ uuid: string }>)[0]?.uuid;
      await confirmed(call, 'patch_record', { record: uuid, name: 'news', record_type: 'CNAME', value: Z });
      return [{ name: `blog.${Z}`, type: 'A', values: [] }, { name: `news.${Z}`, type: 'CNAME', values: [`${Z}.`] }];
    },
  },
  {
    name: 'delete a record set and undo it',
    async run(call) {
      const del = await confirmed(call, 'delete_record', { zone: Z, name: '_dmarc', record_type: 'TXT' });
      const undo = del.structured['undo'] as { change_id: string };
      await confirmed(call, 'undo_change', { change_id: undo.change_id });
      return [{ name: `_dmarc.${Z}`, type: 'TXT', values: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com'] }];
    },
  },
  {
    name: 'import a 40-record BIND zone file',
    async run(call) {
      await confirmed(call, 'create_zone', { domain: 'example.net' });
      await confirmed(call, 'apply_zone', { zone: 'example.net', zone_file: bindZone('example.net') });
      return [{ name: 'host36.example.net', type: 'A', values: ['198.51.100.36'] }, { name: 'example.net', type: 'MX', values: ['10 host1.example.net.'] }, { name: 'www.example.net', type: 'CNAME', values: ['host2.example.net.'] }];
    },
  },
  {
    name: 'audit and fix one finding',
    async run(call) {
      const audit = await ok(call('audit_zone', { zone: Z }));
      const codes = (audit.structured['findings'] as Array<{ code: string }>).map((f) => f.code);
      if (!codes.includes('srv_target_no_address')) throw new Error(`expected the SRV finding, got ${codes.join(', ')}`);
      await confirmed(call, 'create_record', { zone: Z, name: 'sip', record_type: 'A', value: '203.0.113.30' });
      const again = await ok(call('audit_zone', { zone: Z }));
      if ((again.structured['findings'] as Array<{ code: string }>).some((f) => f.code === 'srv_target_no_address')) throw new Error('the finding is still there');
      return [{ name: `sip.${Z}`, type: 'A', values: ['203.0.113.30'] }];
    },
  },
  {
    name: 'DNS-01 challenge (present + cleanup)',
    async run(call) {
      const args = { domain: Z, value: 'Xq0DWlyplN-8tuMbJlnJUvRVpqIRAdqb9KvRi4mHzu0' };
      let r = await ok(call('acme_challenge', { action: 'present', ...args }));
      // The inline cap may end a present before ns2 publishes: "call present again" (it adds nothing twice).
      for (let i = 0; i < 30 && r.structured['served'] !== true; i++) r = await ok(call('acme_challenge', { action: 'present', ...args }));
      if (r.structured['served'] !== true) throw new Error(`never served: ${r.text}`);
      await confirmed(call, 'acme_challenge', { action: 'cleanup', ...args });
      return [{ name: `_acme-challenge.${Z}`, type: 'TXT', values: [] }];
    },
  },
  {
    name: 'apex NS change (confirmed through the gate)',
    async run(call) {
      const args = { zone: Z, name: '@', record_type: 'NS', value: 'ns3.vps.org' };
      const preview = await ok(call('create_record', args));
      const token = preview.structured['confirm_token'];
      if (typeof token !== 'string') throw new Error(`the gate did not hold an apex NS change: ${preview.text}`);
      await ok(call('create_record', { ...args, confirm_token: token }));
      return [{ name: Z, type: 'NS', values: ['ns1.vps.org.', 'ns2.vps.org.', 'ns3.vps.org.'] }];
    },
  },
  {
    name: 'a wait longer than the client time-out (resume)',
    async run(call) {
      // The agent starts waiting for a record a deploy is about to add, then follows the handle.
      const first = await ok(call('check_propagation', { zone: Z, name: 'later', record_type: 'A', expected: ['203.0.113.40'], wait_seconds: 60 }));
      if (typeof first.structured['resume'] !== 'string') throw new Error(`no resume handle: ${first.text}`);
      await confirmed(call, 'create_record', { zone: Z, name: 'later', record_type: 'A', value: '203.0.113.40' });
      const last = await resumed(call, 'check_propagation', first);
      if (last.structured['propagated'] !== true) throw new Error(`not propagated: ${last.text}`);
      return [{ name: `later.${Z}`, type: 'A', values: ['203.0.113.40'] }];
    },
  },
];
