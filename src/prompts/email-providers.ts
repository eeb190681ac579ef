/** What each mail provider asks a domain to publish (from the providers' own setup guides). */
export const MAIL_PROVIDERS = ['google', 'microsoft', 'fastmail', 'custom'] as const;
export type MailProvider = (typeof MAIL_PROVIDERS)[number];

export interface MxHost {
  priority: number;
  host: string;
}

export interface MailPreset {
  label: string;
  mx(domain: string): MxHost[];
  /** The SPF term that authorises the provider's outgoing servers. */
  spf: string;
  /** The DKIM selector the provider uses when the user names none. */
  selector: string | null;
  /** Where the DKIM value comes from, for when the user did not give it. */
  dkimSource: string;
  /** DKIM records that follow from the domain alone (CNAMEs to the provider's keys). */
  dkimCnames?(domain: string): Array<{ name: string; target: string }>;
  note?: string;
}

export const PRESETS: Record<Exclude<MailProvider, 'custom'>, MailPreset> = {
  google: {
    label: 'Google Workspace',
    mx: () => [{ priority: 1, host: 'smtp.google.com' }],
    spf: 'include:_spf.google.com',
    selector: 'google',
    dkimSource: 'the Google Admin console (Apps > Google Workspace > Gmail > Authenticate email: generate the record, then copy its TXT value)',
  },
  microsoft: {
    label: 'Microsoft 365',
    mx: (d) => [{ priority: 0, host: `${d.replace(/\./g, '-')}.mail.protection.outlook.com` }],
    spf: 'include:spf.protection.outlook.com',
    selector: 'selector1',
    dkimSource: 'the Microsoft Defender portal (Email authentication settings > DKIM): Microsoft 365 uses two CNAME records, selector1._domainkey and selector2._domainkey, pointing into your tenant',
    note: 'Confirm the MX host in the Microsoft 365 admin center (Settings > Domains): the usual form is shown here; newer tenants may be given one ending in mx.microsoft.',
  },
  fastmail: {
    label: 'Fastmail',
    mx: () => [
      { priority: 10, host: 'in1-smtp.messagingengine.com' },
      { priority: 20, host: 'in2-smtp.messagingengine.com' },
    ],
    spf: 'include:spf.messagingengine.com',
    selector: 'fm1',
    dkimSource: 'Fastmail (Settings > Domains)',
    dkimCnames: (d) => ['fm1', 'fm2', 'fm3'].map((s) => ({ name: `${s}._domainkey`, target: `${s}.${d}.dkim.fmhosted.com` })),
  },
};

/** `10 mx1.example.net, 20 mx2.example.net` or `mx1.example.net mx2.example.net` (then 10, 20, ...). */
export function parseMxHosts(text: string): { hosts: MxHost[]; problem: string | null } {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const items = parts.length === 1 && !/^\d/.test(parts[0] ?? '') ? (parts[0] ?? '').split(/\s+/) : parts;
  const hosts: MxHost[] = [];
  for (const [i, item] of items.entries()) {
    const m = /^(?:(\d{1,5})\s+)?([^\s]+)$/.exec(item);
    const host = m?.[2]?.toLowerCase().replace(/\.$/, '');
    const priority = m?.[1] !== undefined ? Number(m[1]) : (i + 1) * 10;
    if (!m || !host || !/^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(host) || priority > 65535) {
      return { hosts: [], problem: `"${item.slice(0, 80)}" is not "priority host" or "host" (e.g. "10 mx1.example.net, 20 mx2.example.net")` };
    }
    hosts.push({ priority, host });
  }
  return hosts.length ? { hosts, problem: null } : { hosts, problem: 'give at least one mail server host name' };
}
