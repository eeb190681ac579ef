/**
 * An HTTPS server on loopback with certificates from a test CA made here with openssl (as the
 * ACME tests make theirs), serving MTA-STS policies by Host header: what `mta-sts.<domain>` would
 * serve. The CA is given to the audit as its only trust anchor.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PolicyServer {
  port: number;
  ca: string;
  close(): Promise<void>;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** `policies`: host -> policy text. The certificate names only `certHosts`. */
export async function startPolicyServer(policies: Record<string, string>, certHosts: string[]): Promise<PolicyServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vpsorg-mtasts-'));
  const p = (f: string) => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-days', '2', '-subj', '/CN=vpsorg test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-keyout', p('ca.key'), '-out', p('ca.pem')]);
  openssl(['req', ...ec, '-subj', `/CN=${certHosts[0]}`, '-keyout', p('leaf.key'), '-out', p('leaf.csr')]);
  writeFileSync(p('ext'), `subjectAltName=${certHosts.map((h) => `DNS:${h}`).join(',')}\n`);
  openssl(['x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', p('ext'), '-out', p('leaf.pem')]);
  const [key, cert, ca] = [readFileSync(p('leaf.key')), readFileSync(p('leaf.pem')), readFileSync(p('ca.pem'), 'utf8')];
  rmSync(dir, { recursive: true, force: true });
  const server: Server = createServer({ key, cert }, (req, res) => {
    const policy = policies[String(req.headers.host ?? '')];
    if (req.url !== '/.well-known/mta-sts.txt' || policy === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(policy);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ca,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
