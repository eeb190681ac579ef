/**
 * One sandbox server over Streamable HTTP (state kept between calls) and the MCP Inspector CLI
 * (a client this project did not write) as the agent's hands: one Inspector process per call.
 * Shared by test/e2e/agent-jobs.test.ts and `npm run bench`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Call, Result } from './agent-jobs.js';

const run = promisify(execFile);
const INSPECTOR = 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js';

export interface HttpSandbox {
  url: string;
  nameservers: Array<{ address: string; port: number }>;
  call: Call;
  /** Text bytes (content[].text) of every call so far, in order. */
  log: Array<{ tool: string; bytes: number }>;
  close(): Promise<void>;
}

/** Starts `dist/index.js --sandbox --http` on a free port; resolves once it prints its URL. */
export async function startHttpSandbox(env: Record<string, string> = {}): Promise<HttpSandbox> {
  const key = randomBytes(24).toString('hex');
  // The journal (undo_change by change_id) and backups in a folder of this run, not the user's home.
  const dir = mkdtempSync(join(tmpdir(), 'vpsorg-agent-jobs-'));
  const child: ChildProcess = spawn(process.execPath, ['dist/index.js', '--sandbox', '--http', '--port', '0'], {
    env: { PATH: process.env['PATH'] ?? '', VPSORG_MCP_HTTP_KEY: key, VPSORG_JOURNAL_DIR: join(dir, 'journal'), VPSORG_BACKUP_DIR: join(dir, 'backups'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /at (http:\/\/\S+\/mcp)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before serving: ${err}`)));
  });
  const nameservers = [...err.matchAll(/ns\d\.vps\.org on (127\.0\.0\.1):(\d+)/g)].map((m) => ({ address: m[1] as string, port: Number(m[2]) }));
  const log: HttpSandbox['log'] = [];
  const call: Call = async (tool, args) => {
    // On isError the CLI prints the result, then exits non-zero: the result is what the agent reads.
    const stdout = await run(process.execPath, [INSPECTOR, '--cli', url, '--transport', 'http', '--header', `Authorization: Bearer ${key}`, '--method', 'tools/call', '--tool-name', tool, '--tool-args-json', JSON.stringify(args)], {
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env['PATH'] ?? '' },
    }).then(
      (r) => r.stdout,
      (e: { stdout?: string; stderr?: string }) => {
        if (!e.stderr?.includes('tool_is_error') || !e.stdout) throw e;
        return e.stdout;
      },
    );
    const out = JSON.parse(stdout) as { isError?: boolean; content?: Array<{ text?: string }>; structuredContent?: Record<string, unknown> };
    const text = (out.content ?? []).map((c) => c.text ?? '').join('\n');
    log.push({ tool, bytes: Buffer.byteLength(text) });
    return { isError: out.isError === true, text, structured: out.structuredContent ?? {} } satisfies Result;
  };
  const close = async () => {
    if (child.exitCode === null) await new Promise<void>((resolve) => child.once('exit', () => resolve()).kill('SIGTERM'));
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, nameservers, call, log, close };
}
