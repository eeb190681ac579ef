/**
 * The MTA-STS policy file (RFC 8461 3.2) and how senders fetch it (3.3): HTTPS to
 * `mta-sts.<domain>`, a certificate valid for that name, status 200, no redirects, text/plain.
 * The address comes from the live resolver (the same authoritative answers as the rest of the
 * audit), the name goes in SNI and the Host header, so the certificate is checked for the name.
 */
import { request } from 'node:https';

export interface StsPolicy {
  version: string | null;
  mode: string | null;
  maxAge: number | null;
  mx: string[];
  problems: string[];
}

/** RFC 8461 3.2: `key: value` lines; version, mode and max_age once, mx any number of times. */
export function parsePolicy(text: string): StsPolicy {
  const p: StsPolicy = { version: null, mode: null, maxAge: null, mx: [], problems: [] };
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'version') p.version = value;
    else if (key === 'mode') p.mode = value;
    else if (key === 'max_age') p.maxAge = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    else if (key === 'mx') p.mx.push(value.toLowerCase().replace(/\.$/, ''));
  }
  if (p.version !== 'STSv1') p.problems.push(`version is ${p.version === null ? 'missing' : `"${p.version}"`}, must be STSv1`);
  if (!['enforce', 'testing', 'none'].includes(p.mode ?? '')) p.problems.push(`mode is ${p.mode === null ? 'missing' : `"${p.mode}"`}, must be enforce, testing or none`);
  if (p.maxAge === null || Number.isNaN(p.maxAge) || p.maxAge > 31557600) p.problems.push('max_age must be a number of seconds up to 31557600');
  if (p.mode !== 'none' && p.mx.length === 0) p.problems.push('no mx: lines (senders then match no MX host)');
  return p;
}

/** RFC 8461 4.1: an `mx` pattern matches the host exactly, or `*.` stands for exactly one leftmost label. */
export function mxCovered(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((p) => (p.startsWith('*.') ? h.endsWith(p.slice(1)) && !h.slice(0, -(p.length - 1)).includes('.') && h.length > p.length - 1 : h === p));
}

export type Fetched = { ok: true; body: string } | { ok: false; error: string };

/** What the model reads: the kind of failure, never the peer's own text (a certificate names internal hosts). */
function failure(err: NodeJS.ErrnoException, host: string, ms: number, stopped: boolean): string {
  const code = err.code ?? '';
  if (stopped) return `no answer within ${ms} ms, or the audit was stopped`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the certificate does not match ${host}`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `the certificate is not valid for ${host} (${code})`;
  if (code === 'HPE_HEADER_OVERFLOW') return 'the response headers are too large';
  if (/^E[A-Z]+$/.test(code)) return `the connection failed (${code})`;
  return err.message === 'the policy is larger than 64 KB' ? err.message : 'the connection failed';
}

/** Bounded as a whole (not per socket event) by `timeoutMs` and the audit's signal; headers capped. */
export function fetchPolicy(host: string, address: string, o: { port?: number; ca?: string | Buffer; timeoutMs?: number; signal?: AbortSignal | undefined } = {}): Promise<Fetched> {
  const ms = o.timeoutMs ?? 10_000;
  const signal = AbortSignal.any([AbortSignal.timeout(ms), ...(o.signal ? [o.signal] : [])]);
  return new Promise((resolve) => {
    const req = request(
      { host: address, port: o.port ?? 443, path: '/.well-known/mta-sts.txt', method: 'GET', servername: host, headers: { host }, signal, maxHeaderSize: 8192, ...(o.ca ? { ca: o.ca } : {}), agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          // RFC 8461 3.3: policies are small; a sender stops at 64 KB.
          if (size > 65536) req.destroy(new Error('the policy is larger than 64 KB'));
          else chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve({ ok: false, error: `HTTP ${res.statusCode ?? '?'} (senders accept only 200, no redirects)` });
          const type = String(res.headers['content-type'] ?? '');
          if (!/^text\/plain\b/i.test(type)) return resolve({ ok: false, error: `Content-Type is "${type}", must be text/plain` });
          resolve({ ok: true, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', (err) => resolve({ ok: false, error: failure(err, host, ms, signal.aborted) }));
    req.end();
  });
}
