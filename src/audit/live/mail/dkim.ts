/**
 * DKIM keys as served (RFC 6376 3.6): for each selector the user names or the zone holds
 * (`<selector>._domainkey`, often a CNAME to the mail provider), the key record, its size
 * (RFC 8301: verifiers refuse RSA keys under 1024 bits; 2048 is the norm) and whether it was
 * revoked (`p=` empty).
 */
import { createPublicKey } from 'node:crypto';
import type { AuditRecord } from '../../types.js';
import type { LiveFinding, LiveResolver } from '../types.js';
import { at, finding, instruction } from './fix.js';
import type { MailOptions } from './options.js';

export function dkimTags(text: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/** Key type and size of a `p=` value, or why it is not a key. */
export function keyInfo(p: string, k: string): { type: string; bits: number | null } | { error: string } {
  if (!/^[A-Za-z0-9+/]+=*$/.test(p)) return { error: 'p= is not base64' };
  if (k === 'ed25519') return Buffer.from(p, 'base64').length === 32 ? { type: 'ed25519', bits: 256 } : { error: 'an ed25519 key is 32 bytes' };
  try {
    const key = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
    return { type: key.asymmetricKeyType ?? 'unknown', bits: key.asymmetricKeyDetails?.modulusLength ?? null };
  } catch {
    return { error: 'p= does not hold a public key (SubjectPublicKeyInfo, RFC 6376 3.6.1)' };
  }
}

/** Selectors named in the zone: the first label of `<selector>._domainkey[.<sub>]` names. */
export function zoneSelectors(records: readonly AuditRecord[]): string[] {
  const out = new Set<string>();
  for (const r of records) {
    const m = /^([^.]+)\._domainkey$/i.exec(r.name);
    if (m && (r.record_type === 'TXT' || r.record_type === 'CNAME')) out.add((m[1] as string).toLowerCase());
  }
  return [...out];
}

export async function checkDkimLive(zone: string, records: readonly AuditRecord[], resolver: LiveResolver, opts: MailOptions = {}): Promise<LiveFinding[]> {
  const given = (opts.dkimSelectors ?? []).map((s) => s.toLowerCase());
  const out: LiveFinding[] = [];
  for (const sel of [...new Set([...given, ...zoneSelectors(records)])]) {
    const rel = `${sel}._domainkey`;
    const name = `${rel}.${zone}`;
    const own = [...at(records, rel, 'TXT'), ...at(records, rel, 'CNAME')];
    const got = await resolver.lookup(name, 'TXT');
    if (got.status === 'error' || got.status === 'budget') {
      opts.skip?.('dkim', `${name} TXT could not be looked up: ${got.detail}`, own);
      continue;
    }
    const via = got.cnames.length ? ` (through CNAME ${got.cnames.map((c) => c.value).join(' -> ')})` : '';
    const keys = got.records.map((r) => r.value).filter((v) => /(^|;)\s*(v=DKIM1|p=|k=)/i.test(v));
    if (!keys.length) {
      out.push(finding('error', 'dkim_missing', rel, `No DKIM key is served for selector "${sel}" at ${name}${via} (${got.status}): mail signed with it fails DKIM.`, 'Publish the key your mail provider gives for this selector.', instruction(`Get the DKIM record for selector "${sel}" from your mail provider and publish it at ${rel} (TXT, or the CNAME they give) with apply_zone; if the selector is no longer used, remove it.`), own));
      continue;
    }
    if (keys.length > 1) out.push(finding('error', 'dkim_multiple', rel, `${keys.length} DKIM key records at ${name}${via}: verifiers may pick either, so signatures fail at random.`, 'Keep one.', instruction(`Keep the current key at ${rel} and delete the other TXT record(s) there.`), own));
    const tags = dkimTags(keys[0] as string);
    const p = tags.get('p');
    if (p === undefined || p === '') {
      out.push(finding('info', 'dkim_revoked', rel, `Selector "${sel}" is revoked (empty p=${p === undefined ? ', or none' : ''})${via}: mail signed with it fails DKIM.`, 'Fine if the selector is retired; otherwise publish its key.', instruction(`If selector "${sel}" is retired, nothing to do (or delete ${rel}); if mail is still signed with it, publish its key.`), own));
      continue;
    }
    const info = keyInfo(p, (tags.get('k') ?? 'rsa').toLowerCase());
    if ('error' in info) {
      out.push(finding('error', 'dkim_key_invalid', rel, `DKIM selector "${sel}"${via}: ${info.error}.`, 'Publish the key exactly as the mail provider gives it.', instruction(`Copy the DKIM record for "${sel}" again from your mail provider and replace ${rel} with it (apply_zone).`), own));
      continue;
    }
    if (info.type === 'rsa' && info.bits !== null && info.bits < 2048) {
      const weak = info.bits < 1024;
      out.push(
        finding(weak ? 'error' : 'warning', weak ? 'dkim_key_weak' : 'dkim_key_short', rel, `DKIM selector "${sel}" has a ${info.bits}-bit RSA key${via}: ${weak ? 'verifiers must not accept keys under 1024 bits (RFC 8301)' : '2048 bits is the norm; shorter keys can be factored by a determined attacker'}.`, 'Rotate to a 2048-bit key under a new selector.', instruction(`Generate a 2048-bit DKIM key at your mail provider under a new selector, publish it, switch signing to it, then revoke "${sel}".`), own),
      );
    }
  }
  return out;
}
