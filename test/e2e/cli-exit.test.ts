/**
 * Exit codes a script can branch on, one per outcome, and usage errors said in shell terms
 * (the flag, the rule, the value), never the schema library's wording.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolve_ } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP } from '../../src/cli/args.js';
import { EXIT } from '../../src/cli/report.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { defaultTokens } from '../../src/emulator/accounts.js';
import { DEFAULT_ACCOUNT } from '../../src/emulator/store.js';

const NO_DELETE = 'vps_nodelete_0123456789abcdef';
import { BIN, cli, json, nodeForOtherUsers } from '../helpers/cli.js';
import { reply, startFakeDns, type FakeDns } from '../helpers/fake-dns.js';

let emu: Emulator;
let refusing: FakeDns;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', tokens: [...defaultTokens(), { token: NO_DELETE, permissions: ['dns:list', 'dns:create', 'dns:update'], account: DEFAULT_ACCOUNT, name: 'no delete' }] });
  // A nameserver that answers every query with REFUSED: asked, but no usable answer.
  refusing = await startFakeDns((q, out) => out.send(reply(q, { rcode: 5, aa: false })));
});
afterAll(async () => {
  await emu.close();
  await refusing.close();
});

const account = () => ({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN });
const LIBRARY_WORDING = /expected \w+, received|Invalid input|Too (small|big)/;

describe('exit code 2: usage errors name the flag in plain language, and nothing is sent', () => {
  it.concurrent.for<[string[], RegExp]>([
    [['call', 'get_zone'], /--zone is required/],
    [['call', 'update_ttl', '--zone', 'example.com', '--name', 'www', '--record-type', 'CNAME', '--ttl', 'soon'], /--ttl takes a number \(got "soon"\)/],
    [['call', 'update_ttl', '--zone', 'example.com', '--name', 'www', '--record-type', 'CNAME', '--ttl', '5'], /--ttl must be at least 60 \(got 5\)/],
    [['call', 'create_record', '--zone', 'example.com', '--name', 'x', '--record-type', 'AXFR', '--value', 'v'], /--record-type must be one of A, AAAA, .*\(got "AXFR"\)/],
    [['call', 'check_propagation', '--zone', 'example.com', '--wait-seconds', '9999'], /--wait-seconds must be at most \d+ \(got 9999\)/],
  ])('%j', async ([args, message], { expect: local }) => {
    const before = emu.requests.length;
    const r = await cli(args, account());
    local(r.code).toBe(EXIT.usage);
    local(r.stdout).toBe('');
    local(r.stderr).toMatch(message);
    local(r.stderr).toContain('Nothing was sent');
    local(r.stderr).not.toMatch(LIBRARY_WORDING);
    local(emu.requests.length).toBe(before);
  });

  it('a missing or malformed token is a configuration error', async () => {
    const none = await cli(['call', 'list_zones'], { VPSORG_API_URL: emu.url });
    expect(none.code).toBe(EXIT.usage);
    expect(none.stderr).toContain('VPSORG_API_TOKEN');
    const bad = await cli(['call', 'list_zones'], { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: 'not a token' });
    expect(bad.code).toBe(EXIT.usage);
  });

  it('a tool error is still exit code 1', async () => {
    const r = await cli(['call', 'get_zone', '--zone', 'missing.example'], account());
    expect(r.code).toBe(EXIT.toolError);
  });
});

describe('exit codes 4, 5 and 6', () => {
  it('4: could not check, when no nameserver asked gives a usable answer', async () => {
    const r = await cli(['call', 'check_propagation', '--zone', 'example.com', '--name', '@', '--record-type', 'A', '--nameservers', `127.0.0.1:${refusing.port}`], account());
    expect(r.code).toBe(EXIT.couldNotCheck);
    expect((json(r) as { propagated: boolean }).propagated).toBe(false);
    expect(r.stderr).toMatch(/Could not check/);
  });

  it('5: confirmation needed on the first step of a delete, with the preview and token on stdout', async () => {
    const r = await cli(['call', 'delete_record', '--zone', 'example.com', '--name', '_dmarc', '--record-type', 'TXT'], account());
    expect(r.code).toBe(EXIT.needsConfirmation);
    expect((json(r) as { confirm_token: string }).confirm_token).toMatch(/\./);
    expect(r.stderr).toContain('--confirm-token');
    expect(emu.store.findZone('example.com')?.records?.some((x) => x.name === '_dmarc')).toBe(true);
  });

  it('6: not permitted, when the API token lacks dns:delete: no token offered, nothing changed', async () => {
    const r = await cli(['call', 'delete_record', '--zone', 'example.com', '--name', '_dmarc', '--record-type', 'TXT'], { ...account(), VPSORG_API_TOKEN: NO_DELETE });
    expect(r.code).toBe(EXIT.notPermitted);
    expect(json(r)).toMatchObject({ confirmation: 'not_permitted', missing_permissions: ['dns:delete'] });
    expect((json(r) as { confirm_token?: string }).confirm_token).toBeUndefined();
    expect(r.stderr).toContain('dns:delete');
    expect(emu.store.findZone('example.com')?.records?.some((x) => x.name === '_dmarc')).toBe(true);
  });

  it('the codes are distinct and each is documented in --help and docs/cli.md', () => {
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
    const readme = readFileSync('docs/cli.md', 'utf8');
    for (const code of Object.values(EXIT)) {
      expect(HELP).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'));
      expect(readme).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
    }
  });
});

describe('asked-for output goes to stdout', () => {
  it.concurrent.for<[string[], RegExp]>([
    [['--help'], /Exit codes/],
    [['--version'], /^\d+\.\d+\.\d+/],
    [['call', '--help'], /Usage:/],
    [['call', 'get_zone', '--help'], /--zone/],
    [['tools'], /^get_zone/m],
    [['acme', '--help'], /^usage: vpsorg-dns-mcp acme[\s\S]*certbot-auth[\s\S]*lego present\|cleanup/],
    [['acme', 'lego', '-h'], /^usage: vpsorg-dns-mcp acme/],
  ])('%j', async ([args, out], { expect: local }) => {
    const r = await cli(args);
    local(r.code).toBe(0);
    local(r.stdout).toMatch(out);
    local(r.stderr).toBe('');
  });
});

describe('start-up failures: one line that says what to do, exit code 2, no stack trace', () => {
  const bound = (): Promise<Socket> =>
    new Promise((resolve) => {
      const s = createSocket('udp4');
      s.bind(0, '127.0.0.1', () => resolve(s));
    });

  it.concurrent('a busy DNS port for the sandbox', async ({ expect: local }) => {
    const busy = [await bound(), await bound()];
    try {
      const ports = busy.map((s) => s.address().port).join(',');
      for (const args of [['call', 'list_zones', '--sandbox', '--dns-ports', ports], ['--sandbox', '--dns-ports', ports]]) {
        const r = await cli(args);
        local(r.code).toBe(EXIT.usage);
        local(r.stderr).toMatch(/already in use.*--dns-ports/);
        local(r.stderr.trim().split('\n')).toHaveLength(1);
        local(r.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      for (const s of busy) s.close();
    }
  });

  describe('a VPSORG_BACKUP_DIR the server cannot use (issue 12 point 11)', () => {
    const base = mkdtempSync(join(tmpdir(), 'vpsorg-backup-start-'));
    afterAll(() => rmSync(base, { recursive: true, force: true }));
    const file = join(base, 'a-file');
    writeFileSync(file, 'x');
    const open = join(base, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const locked = join(base, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o000);

    // The stdio server, the HTTP server and a one-shot call all check it before serving or calling.
    const starts = (dir: string) => [
      { args: [], env: { ...account(), VPSORG_BACKUP_DIR: dir } },
      { args: ['--http', '--no-http-auth', '--port', '0'], env: { ...account(), VPSORG_BACKUP_DIR: dir } },
      { args: ['call', 'list_zones'], env: { ...account(), VPSORG_BACKUP_DIR: dir } },
    ];
    it.concurrent.for<[string, string, RegExp]>([
      ['a missing folder whose parent is missing too', '/nonexistent-vpsorg/backups', /^vpsorg-dns-mcp(?: call)?: VPSORG_BACKUP_DIR \/nonexistent-vpsorg\/backups does not exist and cannot be created \(does \/nonexistent-vpsorg exist\?\): create it first \(mkdir -m 700 \/nonexistent-vpsorg\/backups\), or unset VPSORG_BACKUP_DIR/],
      ['a file, not a folder', file, /VPSORG_BACKUP_DIR \S+a-file is not usable \(it is not a directory\): fix it, or unset VPSORG_BACKUP_DIR/],
      ['a path through a file', join(file, 'sub'), /VPSORG_BACKUP_DIR \S+a-file\/sub is not usable \(a part of its path is a file, not a folder\): give a directory path/],
      ['a world-writable folder', open, /VPSORG_BACKUP_DIR \S+open is not usable \(it is world-writable; use a directory only this user can write/],
    ])('%s', async ([, dir, message], { expect: local }) => {
      for (const { args, env } of starts(dir)) {
        const r = await cli(args, env);
        local(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(EXIT.usage);
        local(r.stdout).toBe('');
        local(r.stderr.trim().split('\n')).toHaveLength(1);
        local(r.stderr).toMatch(message);
      }
    });

    it.concurrent('an unreadable folder (mode 000; as root the server is run as nobody, for whom it is unreadable)', async ({ expect: local }) => {
      const asRoot = process.getuid?.() === 0;
      if (asRoot) chmodSync(base, 0o755);
      const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
        // nobody must reach the Node binary too (the Node 22/24 matrix keeps it in root's home).
        const node = asRoot ? nodeForOtherUsers(base) : process.execPath;
        execFile(node, [resolve_(BIN)], { env: { PATH: process.env['PATH'] ?? '', ...account(), VPSORG_BACKUP_DIR: locked }, timeout: 30_000, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) }, (err, _out, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr });
        });
      });
      local(r.code, r.stderr).toBe(EXIT.usage);
      local(r.stderr.trim()).toBe(`vpsorg-dns-mcp: VPSORG_BACKUP_DIR ${locked} cannot be read and written by this user: fix its permissions (chmod 700 ${locked}) or give another directory, or unset VPSORG_BACKUP_DIR to keep delete snapshots only in the results.`);
    });

    it.concurrent('a missing folder whose parent exists is made (mode 0700), and the server serves', async ({ expect: local }) => {
      const fresh = join(base, 'fresh');
      const r = await cli(['call', 'list_zones'], { ...account(), VPSORG_BACKUP_DIR: fresh });
      local(r.code, r.stderr).toBe(EXIT.ok);
      local(statSync(fresh).mode & 0o777).toBe(0o700);
    });
  });

  it.concurrent('--state (or another sandbox flag) without --sandbox is refused, not ignored', async ({ expect: local }) => {
    for (const args of [['--state', 's.json'], ['call', 'list_zones', '--state', 's.json'], ['acme', 'present', 'example.com', 'v', '--state=s.json'], ['--dns-ports', '5301,5302', '--http']]) {
      const r = await cli(args, account());
      local(r.code, args.join(' ')).toBe(EXIT.usage);
      local(r.stdout).toBe('');
      local(r.stderr.trim()).toMatch(/^vpsorg-dns-mcp(?: call| acme)?: --(?:state|dns-ports) only works with --sandbox \(the built-in emulator and nameservers\)\. Add --sandbox, or leave it out\.$/);
    }
  });

  it.concurrent('a --state file in a folder that does not exist', async ({ expect: local }) => {
    for (const args of [['call', 'list_zones', '--sandbox', '--state', '/nonexistent-vpsorg/dir/s.json'], ['--sandbox', '--state', '/nonexistent-vpsorg/dir/s.json']]) {
      const r = await cli(args);
      local(r.code).toBe(EXIT.usage);
      local(r.stderr.trim()).toBe('vpsorg-dns-mcp: cannot start: the folder /nonexistent-vpsorg/dir does not exist. Create it first, or give a path in an existing folder (--state, --backup-dir).');
    }
  });
});
