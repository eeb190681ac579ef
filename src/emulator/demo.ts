import type { Store } from './store.js';
import type { SeedRecord } from './types.js';

/** A realistic zone with one or more records of every type, as a fresh account might have. */
export const DEMO_RECORDS: SeedRecord[] = [
  { record_type: 'NS', name: '@', value: 'ns1.vps.org' },
  { record_type: 'NS', name: '@', value: 'ns2.vps.org' },
  { record_type: 'A', name: '@', value: '192.0.2.1' },
  { record_type: 'AAAA', name: '@', value: '2001:db8::1' },
  { record_type: 'CNAME', name: 'www', value: 'example.com' },
  { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
  { record_type: 'MX', name: '@', value: 'mail2.example.com', priority: 20 },
  { record_type: 'TXT', name: '@', value: 'v=spf1 include:_spf.google.com ~all' },
  { record_type: 'TXT', name: '_dmarc', value: 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com' },
  { record_type: 'SRV', name: '_sip._tcp', value: '10 5060 sip.example.com', priority: 10 },
  { record_type: 'CAA', name: '@', value: '0 issue "letsencrypt.org"' },
  { record_type: 'CAA', name: '@', value: '0 iodef "mailto:security@example.com"' },
];

export const DEMO_DOMAIN = 'example.com';

export function seedStore(store: Store, seed: 'demo' | 'empty'): void {
  if (seed === 'demo') store.addZone(DEMO_DOMAIN, DEMO_RECORDS);
}
